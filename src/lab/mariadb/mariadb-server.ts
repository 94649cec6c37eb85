// One real MariaDB server for the lab and the fixture capture (Debian's
// mariadb-server): mariadb-install-db, mariadbd as a lab daemon, the client
// for the lab's own SQL (on stdin). As root it runs as the lab's login user,
// whose sessions then log in over the socket by unix_socket authentication
// (no password anywhere). Replication logs in as `replicator`, whose
// password the replica keeps in its own master.info, as MariaDB does.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chownTree } from '../chown-tree.js';
import type { LabContext } from '../component.js';
import { killTree, waitGone } from '../process-tree.js';
import { asUser } from '../postgresql/pg-server.js';

export const MARIADB_REPLICATION_USER = 'replicator';
export const MARIADBD = '/usr/sbin/mariadbd';
const READY_TIMEOUT_MS = 30_000;

export interface MariadbInstance {
  name: string;
  address: string;
  port: number;
  serverId: number;
  dataDir: string;
  /** The socket file the sessions' client uses (-S). */
  socket: string;
  runAs?: string;
  pid?: number;
}

function run(user: string | undefined, tool: string, args: string[], input = ''): Promise<string> {
  const [command, argv] = asUser(user, tool, args);
  return new Promise((resolve, reject) => {
    const child = execFile(command, argv, { timeout: 60_000, cwd: '/' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool}: ${(stderr || err.message).trim().split('\n').slice(-3).join(' / ')}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

export async function initMariadb(i: MariadbInstance): Promise<void> {
  mkdirSync(dirname(i.dataDir), { recursive: true, mode: 0o755 });
  mkdirSync(i.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(i.dataDir, 0o700);
  if (i.runAs) chownTree(dirname(i.dataDir), i.runAs);
  const user = i.runAs ?? process.env.USER ?? 'mysql';
  await run(i.runAs, 'mariadb-install-db', ['--no-defaults', `--datadir=${i.dataDir}`, `--user=${user}`, '--auth-root-authentication-method=socket', '--skip-test-db']);
}

/** Replication needs a binary log on every server (a promoted replica becomes a source), distinct server ids, and GTIDs. */
function serverArgs(i: MariadbInstance): string[] {
  return [
    '--no-defaults',
    `--datadir=${i.dataDir}`,
    `--socket=${i.socket}`,
    `--bind-address=${i.address}`,
    `--port=${i.port}`,
    `--server-id=${i.serverId}`,
    `--log-bin=${join(i.dataDir, 'binlog')}`,
    `--pid-file=${join(i.dataDir, 'mariadbd.pid')}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=16M',
    '--innodb-flush-log-at-trx-commit=0',
    '--log-slave-updates=ON',
  ];
}

export async function startMariadb(ctx: Pick<LabContext, 'spawnDaemon'>, i: MariadbInstance): Promise<void> {
  const [command, args] = asUser(i.runAs, MARIADBD, serverArgs(i));
  i.pid = await ctx.spawnDaemon(`mariadb-${i.name}`, command, args, { cwd: i.dataDir });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (i.pid && (await waitGone([i.pid], 0))) throw new Error(`mariadb on ${i.name} exited during startup (see logs/mariadb-${i.name}.log)`);
    if (await mariadbSql(i, 'SELECT 1').then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`mariadb on ${i.name} not ready within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

export async function stopMariadb(i: MariadbInstance): Promise<void> {
  if (!i.pid) return;
  const pid = i.pid;
  i.pid = undefined;
  // SIGTERM is mariadbd's clean shutdown (it removes its socket); SIGKILL only if that hangs.
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitGone([pid], 15_000))) await waitGone(killTree(pid), 5000);
}

/** SQL on stdin over the socket, as the server's user (unix_socket authentication); --batch output. */
export function mariadbSql(i: MariadbInstance, text: string): Promise<string> {
  return run(i.runAs, 'mariadb', ['--no-defaults', '--batch', '--skip-column-names', '-S', i.socket], text);
}

/** The replication login on the primary (password on stdin). */
export async function createReplicationUser(primary: MariadbInstance, password: string): Promise<void> {
  const literal = `'${password.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  await mariadbSql(primary, `CREATE USER '${MARIADB_REPLICATION_USER}'@'127.%' IDENTIFIED BY ${literal};\nGRANT REPLICATION SLAVE ON *.* TO '${MARIADB_REPLICATION_USER}'@'127.%';`);
}

/** Points `replica` at `primary` by GTID and starts it; `port` other than the primary's breaks it on purpose. */
export async function follow(replica: MariadbInstance, primary: MariadbInstance, password: string, port = primary.port): Promise<void> {
  const literal = `'${password.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  await mariadbSql(
    replica,
    `STOP SLAVE;\nCHANGE MASTER TO MASTER_HOST='${primary.address}', MASTER_PORT=${port}, MASTER_USER='${MARIADB_REPLICATION_USER}', MASTER_PASSWORD=${literal}, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;\nSTART SLAVE;`,
  );
}
