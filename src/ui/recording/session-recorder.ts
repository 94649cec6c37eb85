// `--record FILE`: the console session as an asciicast v2 (every byte the
// terminal received, with its time, and each resize), and beside it
// FILE.events.jsonl: baton's events and the actions journal's records, on
// the same clock (seconds since the recording began). Both files are only
// appended to, a line per write, so a killed console leaves both readable.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { BatonStore } from '../../store/store.js';
import type { BatonEvent } from '../../store/types.js';
import { AppendOnlyFile } from './append-only-file.js';
import { castEventLine, castHeaderLine, castSeconds, resizeData } from './cast-format.js';
import { JournalTail, type JournalLine } from './journal-tail.js';
import { eventsPathFor } from './recordings-dir.js';
import { teeStream } from './tee-stream.js';

export interface RecordingOptions {
  castPath: string;
  stdout: NodeJS.WriteStream;
  store: BatonStore;
  /** The actions journal folder (ops/engine/history.ts journalDir()). */
  journalDir: string;
  title?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export interface Recording {
  /** What the console writes to: the terminal, and the cast. */
  stdout: NodeJS.WriteStream;
  castPath: string;
  eventsPath: string;
  /** Takes the journal records written last, then closes both files. Idempotent. */
  close(): void;
}

/** One line of FILE.events.jsonl; `t` is on the cast's clock. */
export type RecordedLine =
  | { t: 0; type: 'start'; at: number; cast: string }
  | { t: number; type: 'event'; event: BatonEvent }
  | { t: number; type: 'journal'; action: string; record: unknown }
  | { t: number; type: 'journal-unreadable'; action: string; line: string };

export function startRecording(options: RecordingOptions): Recording {
  const { castPath, stdout, store } = options;
  const now = options.now ?? Date.now;
  const env = options.env ?? process.env;
  const eventsPath = eventsPathFor(castPath);
  for (const p of [castPath, eventsPath]) if (existsSync(p)) throw new Error(`${p} exists: record into a new file`);
  const cast = new AppendOnlyFile(castPath);
  const events = new AppendOnlyFile(eventsPath);
  const startMs = now();
  const elapsed = (at: number) => at - startMs;
  const terminalEnv = Object.fromEntries(['TERM', 'SHELL'].flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  cast.append(castHeaderLine({ width: stdout.columns || 80, height: stdout.rows || 24, timestamp: Math.floor(startMs / 1000), title: options.title, env: terminalEnv }));
  const line = (l: RecordedLine) => events.append(`${JSON.stringify(l)}\n`);
  line({ t: 0, type: 'start', at: startMs, cast: basename(castPath) });

  // Registered before Ink's own listener: the size change precedes the frame drawn for it.
  const onResize = () => cast.append(castEventLine(elapsed(now()), 'r', resizeData(stdout.columns, stdout.rows)));
  stdout.on('resize', onResize);

  let lastEventId = -1;
  const takeEvents = (list: readonly BatonEvent[]) => {
    // Newest first in the store: the new ones are a prefix.
    const fresh = list.filter((e) => e.id > lastEventId).reverse();
    for (const event of fresh) line({ t: castSeconds(elapsed(event.at)), type: 'event', event });
    if (fresh.length > 0) lastEventId = fresh[fresh.length - 1]!.id;
  };
  takeEvents(store.getState().events);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.events !== previous.events) takeEvents(state.events);
  });

  const journal = new JournalTail(options.journalDir, (j: JournalLine) =>
    'record' in j
      ? line({ t: castSeconds(elapsed(j.record.at)), type: 'journal', action: j.actionId, record: j.record })
      : line({ t: castSeconds(elapsed(now())), type: 'journal-unreadable', action: j.actionId, line: j.unreadable }),
  );

  let closed = false;
  return {
    stdout: teeStream(stdout, (text) => cast.append(castEventLine(elapsed(now()), 'o', text))),
    castPath,
    eventsPath,
    close() {
      if (closed) return;
      closed = true;
      stdout.off('resize', onResize);
      unsubscribe();
      journal.close();
      cast.close();
      events.close();
    },
  };
}
