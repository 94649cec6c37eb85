// runConsole around <App>: alternate screen in, terminal restored on quit.
import { EventEmitter } from 'node:events';
import { expect, test } from 'vitest';
import { runConsole } from '../../src/ui/run-console.js';
import { ENTER_SEQUENCE, RESTORE_SEQUENCE } from '../../src/ui/terminal-session.js';
import { fleetStore, INTERVAL } from './fixtures.js';
import { NO_USER_CONFIG } from './render-app.js';

class FakeTty extends EventEmitter {
  columns = 80;
  rows = 24;
  isTTY = true;
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

class FakeKeyboard extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  private pending: string | null = null;
  setRawMode(raw: boolean) {
    this.raw.push(raw);
  }
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  type(data: string) {
    this.pending = data;
    this.emit('readable');
  }
}

test('runs in the alternate screen and gives the terminal back on q', async () => {
  const stdout = new FakeTty();
  const stdin = new FakeKeyboard();
  const listeners = () => ['SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException'].map((e) => process.listenerCount(e));
  const before = listeners();
  const done = runConsole({
    store: fleetStore(),
    intervalMs: INTERVAL,
    refreshNow: () => undefined,
    fetchHostLog: () => Promise.resolve(''),
    configDir: NO_USER_CONFIG,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
  });
  await new Promise((r) => setTimeout(r, 100));
  expect(stdout.text.startsWith(ENTER_SEQUENCE)).toBe(true);
  const during = listeners();
  expect(during.every((n, i) => n > before[i]!)).toBe(true);
  stdin.type('q');
  await done;
  expect(stdout.text.endsWith(RESTORE_SEQUENCE)).toBe(true);
  expect(stdin.raw.at(-1)).toBe(false);
  // Ours are gone; Ink's signal-exit hooks may stay installed (they are harmless).
  const after = listeners();
  expect(after.every((n, i) => n < during[i]!)).toBe(true);
  expect(after[3]).toBe(before[3]);
});

test('console output during the run is held back, then handed back', async () => {
  const { captureConsole } = await import('../../src/ui/console-capture.js');
  const quiet = (..._args: unknown[]) => undefined;
  const target = { log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet };
  const original = target.warn;
  const capture = captureConsole(target);
  target.warn('deprecated', { a: 1 });
  target.error(new Error('boom'));
  const lines = capture.release();
  expect(lines[0]).toBe('deprecated {"a":1}');
  expect(lines[1]).toMatch(/^Error: boom/);
  expect(target.warn).toBe(original);
});
