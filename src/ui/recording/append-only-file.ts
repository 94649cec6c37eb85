// A file written only by appending whole lines, each with one write(2) and
// no buffering in the process: a console killed at any moment leaves every
// line it wrote complete, and nothing after it.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class AppendOnlyFile {
  private fd: number | undefined;

  /** Creates `path` (and its folder); refuses one that exists, so no recording is appended to another. */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      this.fd = openSync(path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${path} exists: record into a new file`);
      throw err;
    }
  }

  append(text: string): void {
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, text);
    } catch {
      // A full disk must not take the console down: the recording stops there.
      this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
