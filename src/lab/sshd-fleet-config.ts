// The sshd_config of one fleet process, rendered from the fleet's layout:
// pure, so what a lab host's sshd does can be read in one place.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface FleetHost {
  id: string;
  address: string;
  port: number;
  index: number;
  /** Changes when restart(index, { newHostKey: true }) gives the host a new key. */
  hostKeyFingerprint: string;
}

/** One sshd process and the hosts it listens for. */
export interface Group {
  index: number;
  hosts: FleetHost[];
  hostKey: string;
  child?: ChildProcess;
  exited?: Promise<void>;
}

export interface Layout {
  dir: string;
  user: string;
  port: number;
  identityFile: string;
  authorizedKeys: string;
  loginWrapper: string;
  /** OpenSSH >= 9.8 penalises sources that fail auth or probe ports; the lab must not. */
  penalties: boolean;
  delays: Record<number, number>;
  /** Host indexes whose logins greet on stdout and stderr before running anything. */
  chatty: ReadonlySet<number>;
  /** Host index -> variables its sessions get. */
  sessionEnv: Record<number, Record<string, string>>;
}

// ForceCommand wrapper for slow or chatty hosts: the delay, the greeting a
// chatty ~/.bashrc prints at every login (stdout and stderr), then what the
// client asked for.
export const LOGIN_WRAPPER_SCRIPT = `#!/bin/sh
# baton lab: a slow or chatty host. sshd runs this instead of every command (ForceCommand).
[ "$1" = 0 ] || sleep "$1"
if [ "\${2-}" = chatty ]; then echo "Welcome to a chatty login"; echo "chatty login: a notice on stderr" >&2; fi
# SFTP as a stock sshd runs it: sftp-server started by the login shell (after the greeting).
if [ "\${SSH_ORIGINAL_COMMAND-}" = internal-sftp ]; then exec /usr/lib/openssh/sftp-server; fi
if [ -n "\${SSH_ORIGINAL_COMMAND-}" ]; then exec "\${SHELL:-/bin/sh}" -c "$SSH_ORIGINAL_COMMAND"; fi
exec "\${SHELL:-/bin/sh}" -l
`;

/** sshd's SetEnv: NAME="value"; values are paths and words, never quotes or line breaks. */
function setEnvLine(env: Record<string, string>): string {
  const pairs = Object.entries(env).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /["\\\n\r]/.test(value)) throw new Error(`cannot pass ${name}=${value} through sshd SetEnv`);
    return `${name}="${value}"`;
  });
  // sshd keeps only the first SetEnv line it meets, so all of them go on one.
  return `  SetEnv ${pairs.join(' ')}`;
}

export function sshdConfig(group: Group, layout: Layout): string {
  const g = group.index;
  const lines = [
    `# baton lab fleet, sshd process ${g}: ${group.hosts.map((h) => h.id).join(' ')} (generated)`,
    ...group.hosts.map((h) => `ListenAddress ${h.address}:${h.port}`),
    `HostKey ${group.hostKey}`,
    `PidFile ${join(layout.dir, `sshd-${g}.pid`)}`,
    `AuthorizedKeysFile ${layout.authorizedKeys}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The keys live in a temp dir that sshd's ownership checks would reject.
    'StrictModes no',
    ...(process.getuid?.() === 0 ? ['PermitRootLogin prohibit-password'] : []),
    // A benchmark opens connections and sessions in bursts.
    'MaxStartups 10000',
    'MaxSessions 100',
    // ProxyJump through a lab host needs forwarding.
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    'UseDNS no',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    ...(layout.penalties ? ['PerSourcePenalties no'] : []),
  ];
  for (const h of group.hosts) {
    const seconds = layout.delays[h.index];
    const chatty = layout.chatty.has(h.index);
    const env = layout.sessionEnv[h.index] ?? {};
    if (seconds === undefined && !chatty && Object.keys(env).length === 0) continue;
    lines.push(`Match LocalAddress ${h.address}`);
    if (seconds !== undefined || chatty) lines.push(`  ForceCommand ${layout.loginWrapper} ${seconds ?? 0}${chatty ? ' chatty' : ''}`);
    if (Object.keys(env).length > 0) lines.push(setEnvLine(env));
  }
  return `${lines.join('\n')}\n`;
}
