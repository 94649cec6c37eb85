// The Debian packages the lab runs on, and which package gives each binary,
// so a missing tool is reported by the package to install.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { LabExtras } from './layout.js';

/** binary -> Debian package (bookworm names). */
export const LAB_BINARIES: Readonly<Record<string, string>> = {
  sshd: 'openssh-server',
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  haproxy: 'haproxy',
  etcd: 'etcd-server',
  etcdctl: 'etcd-client',
  crm_mon: 'pacemaker-cli-utils',
  crm_simulate: 'pacemaker-cli-utils',
  crm_resource: 'pacemaker-cli-utils',
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  setpriv: 'util-linux',
  unshare: 'util-linux',
  socat: 'socat',
  nginx: 'nginx',
  // baton's NGINX probe reads stub_status with curl (or wget) on lb1.
  curl: 'curl',
};

/** Needed only with `lab up --with rabbitmq`: the broker and the Erlang port mapper it registers with. */
export const RABBITMQ_BINARIES: Readonly<Record<string, string>> = {
  'rabbitmq-server': 'rabbitmq-server',
  epmd: 'erlang-base',
  // binds epmd's sockets (src/lab/rabbitmq/epmd-sockets.ts); Essential on Debian.
  perl: 'perl-base',
};

/** Needed only with `lab up --with postgresql`: the server (not on PATH: Debian keeps it per major) and psql. */
export const POSTGRESQL_BINARIES: Readonly<Record<string, string>> = {
  '/usr/lib/postgresql/15/bin/postgres': 'postgresql-15',
  '/usr/lib/postgresql/15/bin/pg_basebackup': 'postgresql-client-15',
  psql: 'postgresql-client-common',
};

/** Needed only with `lab up --with prometheus`: Debian's Prometheus and Alertmanager. */
export const PROMETHEUS_BINARIES: Readonly<Record<string, string>> = {
  prometheus: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
};

/** Needed only with `lab up --with mariadb`: the server, its installer and the client. */
export const MARIADB_BINARIES: Readonly<Record<string, string>> = {
  mariadbd: 'mariadb-server-core',
  'mariadb-install-db': 'mariadb-server-core',
  mariadb: 'mariadb-client-core',
};

/** Needed only with `lab up --with corosync`: the real one-node cluster. */
export const COROSYNC_BINARIES: Readonly<Record<string, string>> = {
  corosync: 'corosync',
  'corosync-cfgtool': 'corosync',
  pacemakerd: 'pacemaker',
};

/**
 * As root the lab's Pacemaker cluster is real (src/lab/pacemaker-real):
 * three namespaced nodes with corosync, pacemakerd and the resource agents
 * they run (an agent is named by its path).
 */
export const REAL_CLUSTER_BINARIES: Readonly<Record<string, string>> = {
  ...COROSYNC_BINARIES,
  nsenter: 'util-linux',
  ip: 'iproute2',
  // binds the nodes' sshd sockets (src/lab/pacemaker-real/listen-then-exec.ts) and is their init.
  perl: 'perl-base',
  // ocf:pacemaker:ping runs it.
  ping: 'iputils-ping',
  '/usr/lib/ocf/resource.d/heartbeat/IPaddr2': 'resource-agents',
  '/usr/lib/ocf/resource.d/heartbeat/nginx': 'resource-agents',
  '/usr/lib/ocf/resource.d/pacemaker/ping': 'pacemaker-resource-agents',
};

const runningAsRoot = (): boolean => process.getuid?.() === 0;

function binaries(extras: LabExtras, asRoot: boolean): Record<string, string> {
  return {
    ...LAB_BINARIES,
    ...(extras.rabbitmq ? RABBITMQ_BINARIES : {}),
    ...(extras.corosync ? COROSYNC_BINARIES : {}),
    ...(extras.postgresql ? POSTGRESQL_BINARIES : {}),
    ...(extras.mariadb ? MARIADB_BINARIES : {}),
    ...(extras.prometheus ? PROMETHEUS_BINARIES : {}),
    ...(asRoot ? REAL_CLUSTER_BINARIES : {}),
  };
}

/** asRoot: whether the lab runs as root (then with the real cluster's packages). */
export function labPackages(extras: LabExtras = {}, asRoot = runningAsRoot()): string[] {
  return [...new Set(Object.values(binaries(extras, asRoot)))].sort();
}

// Debian keeps daemons in sbin, which a normal user's PATH may lack.
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** PATH with Debian's sbin dirs added, so the lab can run haproxy or crm_mon as anyone. */
export function withSbin(path: string): string {
  const dirs = path.split(delimiter).filter(Boolean);
  return [...dirs, ...SBIN.filter((d) => !dirs.includes(d))].join(delimiter);
}

/** name: a program looked up in PATH (and sbin), or an absolute path. */
export function findBinary(name: string, path = process.env.PATH ?? ''): string | undefined {
  if (name.startsWith('/')) return executable(name) ? name : undefined;
  for (const dir of withSbin(path).split(delimiter)) {
    const file = join(dir, name);
    if (executable(file)) return file;
  }
  return undefined;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface MissingBinary {
  binary: string;
  package: string;
}

export function missingBinaries(path?: string, extras: LabExtras = {}, asRoot = runningAsRoot()): MissingBinary[] {
  return Object.entries(binaries(extras, asRoot))
    .filter(([binary]) => findBinary(binary, path) === undefined)
    .map(([binary, pkg]) => ({ binary, package: pkg }));
}

/** The error `lab up` gives when tools are missing: each binary, its package, and the fix. */
export function missingBinariesMessage(missing: readonly MissingBinary[]): string {
  const packages = [...new Set(missing.map((m) => m.package))].sort();
  const list = missing.map((m) => `${m.binary} (package ${m.package})`).join(', ');
  const rabbit = packages.includes(RABBITMQ_BINARIES['rabbitmq-server'] ?? '')
    ? "; rabbitmq-server's package starts a system broker on every interface unless /usr/sbin/policy-rc.d says `exit 101` (README: The lab)"
    : '';
  return `the lab needs ${list}; install with: baton lab deps   (or: sudo apt-get install -y ${packages.join(' ')})${rabbit}`;
}
