import { EventEmitter } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ENTER_SEQUENCE, enterTerminal, RESTORE_SEQUENCE, type ProcessLike } from '../../src/ui/terminal-session.js';

class FakeProcess extends EventEmitter implements ProcessLike {
  exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

function session() {
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { write: (s: string) => written.push(s) > 0 }) as unknown as NodeJS.WritableStream;
  const raw: boolean[] = [];
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setRawMode: (r: boolean) => raw.push(r) }) as unknown as NodeJS.ReadableStream;
  const proc = new FakeProcess();
  const order: string[] = [];
  const s = enterTerminal({ stdout, stdin, proc, beforeRestore: () => order.push('unmount'), stderrFd: -1 });
  return { s, written, raw, proc, order };
}

describe('terminal session', () => {
  test('enters the alternate screen with the cursor hidden, and restores once', () => {
    const { s, written, raw, proc } = session();
    expect(written).toEqual([ENTER_SEQUENCE]);
    expect(ENTER_SEQUENCE).toContain('\x1b[?1049h');
    expect(ENTER_SEQUENCE).toContain('\x1b[?25l');
    s.restore();
    s.restore();
    expect(written).toEqual([ENTER_SEQUENCE, RESTORE_SEQUENCE]);
    expect(RESTORE_SEQUENCE).toContain('\x1b[?1049l');
    expect(RESTORE_SEQUENCE).toContain('\x1b[?25h');
    expect(raw).toEqual([false]);
    expect(proc.eventNames()).toEqual([]);
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('%s unmounts, restores the terminal and exits with %i', (signal, code) => {
    const { written, proc, order } = session();
    proc.emit(signal);
    expect(order).toEqual(['unmount']);
    expect(written.at(-1)).toBe(RESTORE_SEQUENCE);
    expect(proc.exits).toEqual([code]);
    expect(proc.eventNames()).toEqual([]);
  });

  test('an uncaught exception or rejection restores the terminal and exits 1', () => {
    for (const event of ['uncaughtException', 'unhandledRejection']) {
      const { written, proc } = session();
      proc.emit(event, new Error('boom'));
      expect(written.at(-1)).toBe(RESTORE_SEQUENCE);
      expect(proc.exits).toEqual([1]);
    }
  });

  test('process exit restores too', () => {
    const { written, proc } = session();
    proc.emit('exit', 0);
    expect(written.at(-1)).toBe(RESTORE_SEQUENCE);
  });

  test('writes synchronously to the stream\'s file descriptor', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-tty-')), 'tty');
    const fd = openSync(file, 'w');
    const proc = new FakeProcess();
    const write = () => {
      throw new Error('the async write() must not be used');
    };
    const s = enterTerminal({ stdout: Object.assign(new EventEmitter(), { fd, write }) as unknown as NodeJS.WritableStream, proc });
    proc.emit('SIGTERM');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(ENTER_SEQUENCE + RESTORE_SEQUENCE);
    expect(() => s.restore()).not.toThrow();
  });
});
