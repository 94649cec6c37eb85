// The end of a daemon's log, for error messages: why etcd did not come up is
// almost always in its last lines (address in use, bad data dir, ...).
import { readFile } from 'node:fs/promises';

export async function logTail(file: string, lines = 12): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch (err) {
    return `(no log at ${file}: ${(err as Error).message})`;
  }
}
