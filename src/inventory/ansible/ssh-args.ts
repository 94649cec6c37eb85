// The jump host hidden in ansible_ssh_common_args / ansible_ssh_extra_args:
// `-J hop`, `-o ProxyJump=hop` (or `-oProxyJump hop`), and the classic
// `-o ProxyCommand="ssh -W %h:%p [-q] [-p port] [-l user] [user@]bastion"`.
// OpenSSH takes the first value given, so the first one found wins. Options
// baton has no use for are named back so the operator knows they are ignored.
import { shellWords, ShellWordsError } from './shell-words.js';

export interface SshArgs {
  /** A ProxyJump value: `[user@]host[:port]` hops, comma-separated. */
  jump?: string;
  /** What was written but is not used, each as written. */
  ignored: string[];
}

export function readSshArgs(args: string): SshArgs {
  const result: SshArgs = { ignored: [] };
  let words: string[];
  try {
    words = shellWords(args);
  } catch (error) {
    if (!(error instanceof ShellWordsError)) throw error;
    return { ignored: [args] };
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-J' || word.startsWith('-J')) {
      const value = word === '-J' ? words[++i] : word.slice(2);
      if (value !== undefined) result.jump ??= value;
    } else if (word === '-o' || word.startsWith('-o')) {
      const option = word === '-o' ? (words[++i] ?? '') : word.slice(2);
      const match = /^(\w+)\s*(?:=\s*|\s+)(.*)$/s.exec(option);
      const [name, value] = [match?.[1]?.toLowerCase(), match?.[2]];
      if (name === 'proxyjump' && value !== undefined && value !== '') {
        result.jump ??= value;
        continue;
      }
      const viaCommand = name === 'proxycommand' && value !== undefined ? proxyCommandJump(value) : undefined;
      if (viaCommand !== undefined) result.jump ??= viaCommand;
      else result.ignored.push(`-o ${option}`);
    } else {
      result.ignored.push(word);
    }
  }
  return result;
}

const FLAGS = new Set(['-q', '-C', '-A', '-a', '-T', '-N', '-n', '-v', '-4', '-6', '-x', '-Y', '-K', '-k']);

/** `ssh -W %h:%p ... [user@]host` as a ProxyJump hop, or undefined for any other command. */
function proxyCommandJump(command: string): string | undefined {
  let words: string[];
  try {
    words = shellWords(command);
  } catch {
    return undefined;
  }
  const [program, ...rest] = words;
  if (program === undefined || !/(^|\/)ssh$/.test(program)) return undefined;
  let forwards = false;
  let destination: string | undefined;
  let port: string | undefined;
  let user: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] ?? '';
    if (word === '-W') forwards = /^(%h|\[%h\]):%p$/.test(rest[++i] ?? '');
    else if (word === '-p') port = rest[++i];
    else if (word === '-l') user = rest[++i];
    else if (word === '-i' || word === '-o' || word === '-F') i++;
    else if (FLAGS.has(word)) continue;
    else if (word.startsWith('-') || destination !== undefined) return undefined;
    else destination = word;
  }
  if (!forwards || destination === undefined) return undefined;
  const hop = user !== undefined && !destination.includes('@') ? `${user}@${destination}` : destination;
  return port === undefined ? hop : `${hop}:${port}`;
}
