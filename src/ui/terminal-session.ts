// Terminal safety: the console runs in the alternate screen with the cursor
// hidden, and whatever way the process ends — quit, crash, SIGINT, SIGTERM,
// SIGHUP — the terminal is given back, written synchronously so the bytes
// leave before the process does.
import { writeSync } from 'node:fs';
import { constants } from 'node:os';

export const ENTER_SEQUENCE = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
/** Reset attributes, show the cursor, leave the alternate screen. */
export const RESTORE_SEQUENCE = '\x1b[0m\x1b[?25h\x1b[?1049l';
export const CLEAR_SEQUENCE = '\x1b[H\x1b[2J';

type Listener = (...args: unknown[]) => void;

/** The part of `process` the session uses; tests pass an EventEmitter. */
export interface ProcessLike {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  exit(code: number): void;
}

export interface TerminalSessionOptions {
  stdout: NodeJS.WritableStream & { fd?: number };
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  proc?: ProcessLike;
  /** Runs before the restore on a signal or crash (unmount Ink inside the alternate screen). */
  beforeRestore?(): void;
  /** Where a crash is reported after the terminal is restored. */
  stderrFd?: number;
}

export interface TerminalSession {
  /** Idempotent. */
  restore(): void;
  clearScreen(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function writeNow(stream: TerminalSessionOptions['stdout'], text: string): void {
  if (typeof stream.fd === 'number') {
    try {
      writeSync(stream.fd, text);
      return;
    } catch {
      // EAGAIN on a non-blocking pipe, EIO after a hang-up: fall back / give up.
    }
  }
  try {
    stream.write(text);
  } catch {
    // The terminal is gone; nothing left to restore.
  }
}

export function enterTerminal(options: TerminalSessionOptions): TerminalSession {
  const proc: ProcessLike = options.proc ?? (process as unknown as ProcessLike);
  const { stdout, stdin } = options;
  let restored = false;

  const restore = () => {
    if (restored) return;
    restored = true;
    for (const [event, listener] of listeners) proc.off(event, listener);
    try {
      if (stdin?.isTTY) stdin.setRawMode?.(false);
    } catch {
      // stdin already closed
    }
    writeNow(stdout, RESTORE_SEQUENCE);
  };

  const leave = (code: number, report?: string) => {
    try {
      options.beforeRestore?.();
    } catch {
      // Restoring the terminal matters more than a clean unmount.
    }
    restore();
    if (report !== undefined) {
      try {
        writeSync(options.stderrFd ?? 2, report);
      } catch {
        // no stderr
      }
    }
    proc.exit(code);
  };

  const onCrash = (err: unknown) => leave(1, `baton crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  const listeners: [string, Listener][] = [
    ...SIGNALS.map((signal): [string, () => void] => [signal, () => leave(128 + constants.signals[signal])]),
    ['uncaughtException', onCrash],
    ['unhandledRejection', onCrash],
    ['exit', restore],
  ];
  for (const [event, listener] of listeners) proc.on(event, listener);
  writeNow(stdout, ENTER_SEQUENCE);
  return { restore, clearScreen: () => writeNow(stdout, CLEAR_SEQUENCE) };
}
