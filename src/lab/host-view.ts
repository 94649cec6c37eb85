// A process "on" a lab host sees that host's own area as the deploy root
// /srv/baton. As root this is a mount namespace per process (sshd and the web
// app each get one; sshd's sessions inherit its): the host's rootDir is
// bind-mounted on /srv/baton there and nowhere else. Without root there is no
// namespace; the deploy root is the rootDir itself (BATON_DEPLOY_ROOT).
import { mkdirSync, statSync } from 'node:fs';
import { dirname, parse } from 'node:path';

export const DEPLOY_ROOT = '/srv/baton';

/** True when the lab can give hosts mount namespaces and a separate login user. */
export function labIsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The deploy root as the host's sessions see it. */
export function deployRootSeenBy(rootDir: string): string {
  return labIsRoot() ? DEPLOY_ROOT : rootDir;
}

// Runs inside the new namespace (as root): $1 lab dir, $2 host rootDir,
// $3 an ancestor of the lab dir other users cannot enter, or '', $4 the user
// to become, or ''; then the command. The lab dir under, say, /root (0700)
// is shown through a private tmpfs over that ancestor, so the login user can
// read the lab's sockets and files (CIB_file, admin socket) from its sessions.
const SETUP = `set -e
lab=$1 root=$2 cover=$3 user=$4
shift 4
if [ -n "$cover" ]; then
  mount --bind "$lab" ${DEPLOY_ROOT}
  mount -t tmpfs -o mode=0755,size=256k baton-lab "$cover"
  mkdir -p "$lab"
  mount --move ${DEPLOY_ROOT} "$lab"
fi
mount --bind "$root" ${DEPLOY_ROOT}
if [ -n "$user" ]; then exec setpriv --reuid "$user" --regid "$user" --init-groups --pdeathsig KILL -- "$@"; fi
exec "$@"
`;

/** The highest ancestor of `dir` that others may not enter (no o+x), if any. */
function closedAncestor(dir: string): string | undefined {
  const chain: string[] = [];
  for (let d = dirname(dir); d !== parse(d).root; d = dirname(d)) chain.unshift(d);
  return chain.find((d) => (statSync(d).mode & 0o001) === 0);
}

/**
 * argv that runs `argv` on the host: in its mount namespace when root,
 * as `user` when given (the kernel's parent-death signal is set again after
 * the user switch, which clears it). Unchanged without root.
 */
export function onHost(labDir: string, rootDir: string, argv: readonly string[], user?: string): string[] {
  if (!labIsRoot()) return [...argv];
  mkdirSync(DEPLOY_ROOT, { recursive: true });
  const cover = closedAncestor(labDir) ?? '';
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', SETUP, 'baton-lab-host', labDir, rootDir, cover, user ?? '', ...argv];
}
