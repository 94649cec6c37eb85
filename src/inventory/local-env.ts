// Facts about the machine baton runs on that inventories default to.
import os from 'node:os';
import path from 'node:path';

/** The local login name, OpenSSH's default remote user. */
export function currentUser(): string {
  // Read once: every host of a large inventory asks, and each read is a passwd lookup.
  return (loginName ??= readLoginName());
}

let loginName: string | undefined;

function readLoginName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // Containers often run a uid with no passwd entry; the shell still knows it.
    return process.env.USER ?? process.env.LOGNAME ?? 'root';
  }
}

/** `~` and `~/x` expand to the home directory; `~user` is left alone. */
export function expandHome(file: string): string {
  if (file === '~') return os.homedir();
  if (file.startsWith('~/')) return path.join(os.homedir(), file.slice(2));
  return file;
}
