// Asks for a key's passphrase on the controlling terminal without echo.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { PassphrasePrompt } from './identity.js';

/** Undefined when stdin is not a terminal (CI, pipes): callers then refuse with a hint. */
export function terminalPassphrasePrompt(): PassphrasePrompt | undefined {
  if (!process.stdin.isTTY) return undefined;
  return (file) =>
    new Promise((resolve) => {
      let muted = false;
      const output = new Writable({
        write(chunk: Buffer, _enc, done) {
          if (!muted) process.stderr.write(chunk);
          done();
        },
      });
      const rl = createInterface({ input: process.stdin, output, terminal: true });
      rl.question(`Enter passphrase for key '${file}': `, (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
}
