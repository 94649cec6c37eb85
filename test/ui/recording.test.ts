// The session recorder's parts: the asciicast v2 lines, the stream that tees
// the console's output into them, the events file beside (store events and
// the real journal writer's records on the cast's clock), and reading a
// recording back for `baton record ls`, also one cut short by a kill.
import { EventEmitter } from 'node:events';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalWriter } from '../../src/ops/engine/journal.js';
import { createBatonStore } from '../../src/store/store.js';
import { castEventLine, castHeaderLine, castSeconds } from '../../src/ui/recording/cast-format.js';
import { recordingInfo } from '../../src/ui/recording/recording-info.js';
import { eventsPathFor, recordingPath, recordingsDir } from '../../src/ui/recording/recordings-dir.js';
import { startRecording, type RecordedLine } from '../../src/ui/recording/session-recorder.js';
import { teeStream } from '../../src/ui/recording/tee-stream.js';
import { waitFor } from '../helpers/wait-for.js';
import { inventory, spec } from './fixtures.js';

class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly fd = 1;
  written: (string | Uint8Array)[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write(chunk: string | Uint8Array): boolean {
    this.written.push(chunk);
    return true;
  }
}

const asStream = (t: FakeTerminal) => t as unknown as NodeJS.WriteStream;

describe('asciicast v2 lines', () => {
  it('writes the header asciinema reads: version 2, size, start, env', () => {
    const line = castHeaderLine({ width: 120, height: 40, timestamp: 1_700_000_000, title: 'baton prod', env: { TERM: 'xterm-256color' } });
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({ version: 2, width: 120, height: 40, timestamp: 1_700_000_000, title: 'baton prod', env: { TERM: 'xterm-256color' } });
    expect(JSON.parse(castHeaderLine({ width: 80, height: 24, timestamp: 1 }))).toEqual({ version: 2, width: 80, height: 24, timestamp: 1 });
  });

  it('keeps every event on one line whatever the terminal got: escapes, newlines, wide and astral characters', () => {
    const data = '\x1b[?1049h\x1b[31mred\x1b[0m\r\nline two\t"quoted" \\ \u2028 日本 😀 \x00\x7f';
    const line = castEventLine(1234.5678, 'o', data);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('\\u001b[?1049h');
    expect(JSON.parse(line)).toEqual([1.234568, 'o', data]);
    expect(JSON.parse(castEventLine(2500, 'r', '100x30'))).toEqual([2.5, 'r', '100x30']);
  });

  it('counts seconds in microseconds and never before the start', () => {
    expect(castSeconds(0.0004)).toBe(0);
    expect(castSeconds(1.0005)).toBe(0.001001);
    expect(castSeconds(-5)).toBe(0);
  });
});

describe('teeStream', () => {
  it('hands the recorder every write, whole characters across split buffers, and hides the fd', () => {
    const terminal = new FakeTerminal(80, 24);
    const seen: string[] = [];
    const out = teeStream(asStream(terminal), (t) => seen.push(t));
    const bytes = Buffer.from('é😀');
    out.write('plain');
    out.write(bytes.subarray(0, 3)); // é and half of 😀
    out.write(bytes.subarray(3));
    expect(seen).toEqual(['plain', 'é', '😀']);
    expect(terminal.written).toHaveLength(3);
    expect((out as { fd?: number }).fd).toBeUndefined();
    expect(out.columns).toBe(80);
    expect(out.isTTY).toBe(true);
  });
});

describe('startRecording', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-rec-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records output and resizes in the cast, store events and journal records beside it, on one clock', async () => {
    let clock = 1_800_000_000_000;
    const store = createBatonStore(inventory([spec('web1', ['web'])]));
    store.getState().addEvent({ at: clock - 50, source: 'actions', severity: 'warn', message: 'before the start' });
    const terminal = new FakeTerminal(100, 30);
    const castPath = join(dir, 'rec', 'a.cast');
    const journalDir = join(dir, 'journal');
    const earlier = await JournalWriter.open(journalDir, 'earlier-run');
    await earlier.append({ t: 'note', at: clock - 1000, message: 'from before: not recorded' });
    const rec = startRecording({ castPath, stdout: asStream(terminal), store, journalDir, now: () => clock, env: { TERM: 'xterm', SECRET: 'x' } });

    clock += 1500;
    rec.stdout.write('\x1b[2Jframe');
    terminal.columns = 120;
    terminal.emit('resize');
    store.getState().addEvent({ at: clock + 250, hostId: 'web1', source: 'host', severity: 'crit', message: 'web1 up -> unreachable' });
    const run = await JournalWriter.open(journalDir, 'run-1');
    await run.append({ t: 'note', at: clock + 400, message: 'step one' });
    await waitFor(() => readFileSync(rec.eventsPath, 'utf8').includes('step one'), 5000, 'the journal record in the events file');
    await earlier.append({ t: 'note', at: clock + 500, message: 'an older run resumed' });
    await run.append({ t: 'note', at: clock + 600, message: 'just before close' });
    rec.close();
    await Promise.all([run.close(), earlier.close()]);
    rec.stdout.write('after close');

    expect(terminal.written).toEqual(['\x1b[2Jframe', 'after close']);
    const cast = readFileSync(castPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(cast).toEqual([
      { version: 2, width: 100, height: 30, timestamp: 1_800_000_000, env: { TERM: 'xterm' } },
      [1.5, 'o', '\x1b[2Jframe'],
      [1.5, 'r', '120x30'],
    ]);
    expect(rec.eventsPath).toBe(eventsPathFor(castPath));
    const lines = readFileSync(rec.eventsPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RecordedLine);
    const brief = lines.map((l) => [l.t, l.type, l.type === 'event' ? l.event.message : l.type === 'journal' ? (l.record as { message: string }).message : l.type === 'start' ? l.cast : '']);
    expect(brief).toEqual([
      [0, 'start', 'a.cast'],
      [0, 'event', 'before the start'],
      [1.75, 'event', 'web1 up -> unreachable'],
      [1.9, 'journal', 'step one'],
      [2.0, 'journal', 'an older run resumed'],
      [2.1, 'journal', 'just before close'],
    ]);
    expect(lines.filter((l) => l.type === 'journal').map((l) => (l as { action: string }).action)).toEqual(['run-1', 'earlier-run', 'run-1']);
  });

  it('refuses to write over an earlier recording, and its events file', () => {
    const store = createBatonStore(inventory([]));
    const castPath = join(dir, 'b.cast');
    const open = () => startRecording({ castPath, stdout: asStream(new FakeTerminal(80, 24)), store, journalDir: join(dir, 'journal') });
    open().close();
    expect(open).toThrow(`${castPath} exists: record into a new file`);
    rmSync(castPath);
    expect(open).toThrow(`${castPath}.events.jsonl exists`);
  });
});

describe('reading a recording back', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-rec-info-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads size, start, length and events, also from a file a kill cut mid-line', () => {
    const cast = join(dir, 'cut.cast');
    writeFileSync(cast, castHeaderLine({ width: 90, height: 20, timestamp: 1_700_000_000 }) + castEventLine(500, 'o', 'a') + castEventLine(73_250, 'o', 'b'));
    appendFileSync(cast, '[74.1, "o", "unfinish');
    writeFileSync(eventsPathFor(cast), '{"t":0,"type":"start"}\n{"t":1,"type":"event"}\n{"t":2,"type":"event"}\n');
    expect(recordingInfo(cast)).toMatchObject({ name: 'cut.cast', startedAt: 1_700_000_000_000, width: 90, height: 20, durationSeconds: 73.25, events: 2 });
  });

  it('says what is wrong with a file that is not a cast', () => {
    const bad = join(dir, 'bad.cast');
    writeFileSync(bad, '{"version": 1}\n');
    expect(recordingInfo(bad)).toMatchObject({ startedAt: null, events: null, problem: 'not an asciicast v2 file (version 1)' });
  });

  it('puts a bare name in the state dir and takes a path as it is', () => {
    const env = { XDG_STATE_HOME: '/var/state', HOME: '/home/op' };
    expect(recordingsDir(env)).toBe('/var/state/baton/recordings');
    expect(recordingPath('incident', env)).toBe('/var/state/baton/recordings/incident.cast');
    expect(recordingPath('night.log', env)).toBe('/var/state/baton/recordings/night.log');
    expect(recordingPath('/tmp/x.cast', env)).toBe('/tmp/x.cast');
  });
});
