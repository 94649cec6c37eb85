// The in-memory terminal the console bench figures are taken on: it counts
// every write Ink makes (a frame, or part of one) and its bytes, and can
// wait for the next one. The keyboard is a stream Ink reads keys from.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

export class RecordingTerminal extends EventEmitter {
  readonly isTTY = true;
  bytes = 0;
  /** Screen writes: what a terminal (or an SSH link) has to carry one by one. */
  writes = 0;
  private waiter: (() => void) | undefined;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  write(chunk: string | Uint8Array): boolean {
    this.writes++;
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
    return true;
  }

  /** Resolves at the next write (a frame), or after `timeoutMs`. */
  nextWrite(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

export function keyboard(): NodeJS.ReadStream {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined, ref: () => undefined, unref: () => undefined }) as unknown as NodeJS.ReadStream;
}
