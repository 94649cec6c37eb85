// Minimal redraw: with nothing changing only the clock changes, and an
// unchanged refresh writes (almost) nothing — this matters over slow SSH.
import { vi } from 'vitest';

// Ink writes nothing until exit when it thinks it runs in CI, and chalk
// drops colours off a terminal; both read the environment at import, so
// this runs before the imports. Colours count: they are bytes too.
const savedEnv = vi.hoisted(() => {
  const saved = { CI: process.env['CI'], CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'], FORCE_COLOR: process.env['FORCE_COLOR'] };
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  process.env['FORCE_COLOR'] = '1';
  return saved;
});

import { render as inkRender } from 'ink';
import { cleanup } from 'ink-testing-library';
import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeEach, expect, test } from 'vitest';
import { compactCursorMoves, compactingStream } from '../../src/ui/compact-output.js';
import { createConsoleApp } from '../../src/ui/run-console.js';
import { fleetStore, fleetUpdates, INTERVAL, T0 } from './fixtures.js';
import { mount, NO_USER_CONFIG } from './render-app.js';

// React's scheduler keeps the real setImmediate; only the clocks are faked.
beforeEach(() => {
  vi.useFakeTimers({ now: T0 + 500, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

/** Moves the fake clock, letting React and Ink's throttle catch up. */
async function advance(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 50) {
    await vi.advanceTimersByTimeAsync(Math.min(50, left));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await vi.advanceTimersByTimeAsync(20);
}
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});
afterAll(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** A terminal that counts what is written to it. */
class CountingTty extends EventEmitter {
  columns = 100;
  rows = 30;
  isTTY = true;
  bytes = 0;
  text = '';
  write(chunk: string): boolean {
    this.bytes += Buffer.byteLength(chunk);
    this.text += chunk;
    return true;
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

test('a still fleet redraws once a second, and only the status line changes', async () => {
  const m = mount(fleetStore(40), { clock: () => Date.now() });
  await advance(100);
  const start = m.frames.length;
  await advance(2000);
  const frames = m.frames.slice(start - 1);
  expect(frames.length - 1).toBeGreaterThanOrEqual(2);
  expect(frames.length - 1).toBeLessThanOrEqual(3);
  for (let i = 1; i < frames.length; i++) {
    const before = frames[i - 1]!.split('\n');
    const after = frames[i]!.split('\n');
    const changed = after.map((line, n) => (line === before[n] ? -1 : n)).filter((n) => n >= 0);
    expect(changed).toEqual([0]);
  }
});

test('store changes nothing on screen depends on cause no render', async () => {
  const store = fleetStore(40);
  const m = mount(store, { viewName: 'hosts' });
  await advance(100);
  const start = m.frames.length;
  store.getState().addEvent({ at: T0, source: 'host', severity: 'info', message: 'not shown in this view' });
  await advance(10);
  expect(m.frames.length).toBe(start);
});

test('bytes written: an idle second and an unchanged refresh each stay under 200 bytes', async () => {
  const store = fleetStore(40, { jitter: false });
  const stdout = new CountingTty();
  const app = createConsoleApp({
    store,
    intervalMs: INTERVAL,
    refreshNow: () => undefined,
    fetchHostLog: () => Promise.resolve(''),
    configDir: NO_USER_CONFIG,
    colour: true,
    clock: () => Date.now(),
  });
  const ink = inkRender(app.element, {
    stdout: compactingStream(stdout as unknown as NodeJS.WriteStream),
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    incrementalRendering: true,
    maxFps: 60,
  });
  await advance(200);
  const first = stdout.bytes;
  expect(first).toBeGreaterThan(2000);
  expect(stdout.text).toContain('\x1b[3');

  await advance(1000);
  const idleSecond = stdout.bytes - first;

  const before = stdout.bytes;
  store.getState().applyUpdates(fleetUpdates(T0 + INTERVAL, 0, false));
  await advance(50);
  const refresh = stdout.bytes - before;
  ink.unmount();

  expect(idleSecond).toBeGreaterThan(0);
  expect(idleSecond).toBeLessThanOrEqual(200);
  expect(refresh).toBeLessThanOrEqual(200);
});

test('runs of cursor-next-line become one move', () => {
  expect(compactCursorMoves('\x1b[5A\x1b[E\x1b[E\x1b[Exyz\x1b[E')).toBe('\x1b[5A\x1b[3Exyz\x1b[E');
  const written: string[] = [];
  const sink = Object.assign(new EventEmitter(), { columns: 80, write: (s: string) => written.push(s) > 0 });
  const stream = compactingStream(sink as unknown as NodeJS.WriteStream);
  stream.write('\x1b[E\x1b[E');
  expect(written).toEqual(['\x1b[2E\x1b[A']);
  expect(stream.columns).toBe(80);
  const listener = () => undefined;
  stream.on('resize', listener);
  expect(sink.listenerCount('resize')).toBe(1);
});
