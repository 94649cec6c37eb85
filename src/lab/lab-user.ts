// A dedicated login user for the lab and the benchmark, with a plain /bin/sh
// and an empty home: logins then cost what sshd costs, not what the
// operator's dotfiles cost (on this image root's .bashrc runs `pyenv init`,
// 127 ms per login, which Debian's bash sources even for `ssh host cmd`).
import { execFileSync } from 'node:child_process';

export const LAB_USER = 'baton-lab';

function exists(user: string): boolean {
  try {
    execFileSync('id', ['-u', user], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The lab user's name, created if missing; undefined when not root (the caller then logs in as itself). */
export function ensureLabUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (!exists(LAB_USER)) {
    execFileSync('useradd', ['--system', '--create-home', '--home-dir', `/var/lib/${LAB_USER}`, '--shell', '/bin/sh', LAB_USER], { stdio: 'pipe' });
  }
  // useradd leaves the password locked ('!'), and sshd without PAM refuses
  // locked accounts even for key logins; '*' means "no password", not locked.
  execFileSync('usermod', ['-p', '*', LAB_USER], { stdio: 'pipe' });
  return LAB_USER;
}
