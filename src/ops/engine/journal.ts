// The crash-safe journal: one append-only JSONL file per action run, each
// record durable (fdatasync) before append() resolves. Records that arrive
// while a sync is under way share the next one (group commit), so 200 hosts
// finishing together cost a few syncs, not 400. Reading never drops a line
// silently: a torn last line or a corrupt one is reported with its text.
import { mkdirSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Operator } from './operator.js';
import type { ActionState, Outcome, Plan, StepOutcome } from './plan.js';

export const JOURNAL_VERSION = 1;
/** Output kept per step in the journal (the end of it: where errors are). */
export const OUTPUT_TAIL_BYTES = 4096;

export type JournalRecord =
  | { t: 'begin'; v: number; at: number; who: Operator; plan: Plan }
  | { t: 'lock'; at: number; backend: string; keys: string[]; token?: string }
  /** A later process picks the run up (resume, rollback): it is the one alive now. */
  | { t: 'resume'; at: number; who: Operator; mode: 'resume' | 'rollback' }
  | { t: 'step-start'; at: number; step: string; host: string; attempt: number }
  | {
      t: 'step-end';
      at: number;
      step: string;
      host: string;
      attempt: number;
      outcome: StepOutcome;
      rc: number | null;
      durationMs: number;
      stdout: string;
      stderr: string;
      error?: string;
    }
  | { t: 'verify'; at: number; outcome: Outcome; detail: string; hosts?: Record<string, Outcome> }
  | { t: 'note'; at: number; message: string }
  | { t: 'end'; at: number; state: Exclude<ActionState, 'running' | 'interrupted'> };

export interface JournalSink {
  append(record: JournalRecord): Promise<void>;
}

export function tail(text: string, bytes = OUTPUT_TAIL_BYTES): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  // Skip a split UTF-8 sequence at the cut.
  return buf.subarray(buf.length - bytes).toString('utf8').replace(/^\uFFFD+/, '');
}

export function journalPath(dir: string, id: string): string {
  return join(dir, `${id}.jsonl`);
}

export class JournalWriter implements JournalSink {
  private queue: { line: string; done: () => void; fail: (e: Error) => void }[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Opens (creating) the journal of run `id` for appending. */
  static async open(dir: string, id: string): Promise<JournalWriter> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = journalPath(dir, id);
    const handle = await open(path, 'a+', 0o600);
    // A record torn by a crash stays a line of its own (reported when read),
    // so the next record is not glued to it and lost too.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.write('\n');
    }
    return new JournalWriter(path, handle);
  }

  append(record: JournalRecord): Promise<void> {
    return new Promise((done, fail) => {
      this.queue.push({ line: JSON.stringify(record) + '\n', done, fail });
      this.flushing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        try {
          await this.handle.write(batch.map((b) => b.line).join(''));
          await this.handle.datasync();
          for (const b of batch) b.done();
        } catch (err) {
          for (const b of batch) b.fail(err as Error);
        }
      }
    } finally {
      // Cleared in the same turn the queue was seen empty: an append that
      // follows starts a new flush instead of joining one that is over.
      this.flushing = undefined;
    }
  }
}

export interface JournalProblem {
  /** 1-based line number. */
  line: number;
  reason: 'torn last line' | 'not JSON' | 'not a journal record';
  text: string;
}

export interface JournalRead {
  records: JournalRecord[];
  problems: JournalProblem[];
}

const RECORD_TYPES = new Set(['begin', 'lock', 'resume', 'step-start', 'step-end', 'verify', 'note', 'end']);

/** Parses a journal's text; every line that is not a whole record is a problem, never dropped quietly. */
export function parseJournal(text: string): JournalRead {
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  const records: JournalRecord[] = [];
  const problems: JournalProblem[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      const value = JSON.parse(line) as { t?: unknown };
      if (typeof value === 'object' && value !== null && RECORD_TYPES.has(String(value.t))) records.push(value as JournalRecord);
      else problems.push({ line: i + 1, reason: 'not a journal record', text: line.slice(0, 200) });
    } catch {
      problems.push({ line: i + 1, reason: 'not JSON', text: line.slice(0, 200) });
    }
  });
  // The writer ends every record with a newline: text after the last one is a record cut short.
  if (last !== '') problems.push({ line: lines.length + 1, reason: 'torn last line', text: last.slice(0, 200) });
  return { records, problems };
}

export async function readJournal(path: string): Promise<JournalRead> {
  return parseJournal(await readFile(path, 'utf8'));
}
