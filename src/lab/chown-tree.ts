// Hands a lab host's area to its login user, so its sessions (and later
// deploys) can write releases and start the app without root.
import { execFileSync } from 'node:child_process';
import { chownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function userIds(user: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** chown -R, without following symlinks (a release's `current` link stays a link). */
export function chownTree(path: string, user: string): void {
  const { uid, gid } = userIds(user);
  const walk = (p: string): void => {
    const stat = lstatSync(p);
    if (stat.isSymbolicLink()) return;
    chownSync(p, uid, gid);
    if (stat.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
  };
  walk(path);
}
