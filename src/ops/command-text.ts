// Text that becomes (part of) a remote command line. A newline or NUL is
// refused outright: it would split one command into several in a shell, and
// no quoting makes a NUL survive.
import { UsageError } from './engine/registry.js';

export function checkCommandText(text: string, what: string): string {
  if (text.trim() === '') throw new UsageError(`${what} is empty`);
  if (text.includes('\0')) throw new UsageError(`${what} contains a NUL byte`, 'remove it: a NUL cannot be passed to a remote shell');
  if (/[\r\n]/.test(text)) throw new UsageError(`${what} contains a newline`, 'give one command line; join commands with ; or && or put them in a script on the hosts');
  return text;
}
