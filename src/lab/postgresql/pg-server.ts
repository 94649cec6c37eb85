// One real PostgreSQL server of the lab (Debian's postgresql-15, or the
// newest major installed): initdb for the primary, pg_basebackup for a
// standby, the postmaster as a lab daemon, psql for the lab's own SQL.
// PostgreSQL refuses to run as root: as root everything runs as the lab's
// login user, whose sessions then reach it over the unix socket with peer
// authentication (no password anywhere). Replication logs in as
// `replicator` with a password kept in a pgpass file (mode 0600), never on
// a command line.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chownTree } from '../chown-tree.js';
import type { LabContext } from '../component.js';
import { killTree, waitGone } from '../process-tree.js';

export const PG_REPLICATION_USER = 'replicator';
const READY_TIMEOUT_MS = 30_000;
const SQL_TIMEOUT_MS = 10_000;

export interface PgInstance {
  /** The lab host id, also the server's cluster_name and its standby's application_name. */
  name: string;
  address: string;
  port: number;
  dataDir: string;
  /** unix_socket_directories: the sessions' psql -h. */
  socketDir: string;
  /** The OS user the server runs as (root only); undefined: the current user. */
  runAs?: string;
  pid?: number;
}

/** The newest PostgreSQL major's bin dir (Debian installs each under /usr/lib/postgresql/N/bin). */
export function pgBinDir(root = '/usr/lib/postgresql'): string | undefined {
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'postgres'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? undefined : join(root, newest, 'bin');
}

function binDir(): string {
  const dir = pgBinDir();
  if (!dir) throw new Error('no PostgreSQL server under /usr/lib/postgresql (Debian: apt-get install postgresql-15)');
  return dir;
}

/** argv running `command` as `user` (setpriv drops root), or as is. */
export function asUser(user: string | undefined, command: string, args: string[]): [string, string[]] {
  return user ? ['setpriv', ['--reuid', user, '--regid', user, '--init-groups', '--', command, ...args]] : [command, args];
}

function run(user: string | undefined, tool: string, args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<string> {
  const [command, argv] = asUser(user, join(binDir(), tool), args);
  return new Promise((resolve, reject) => {
    const child = execFile(command, argv, { env: { ...process.env, ...options.env }, timeout: SQL_TIMEOUT_MS * 6, cwd: '/' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${tool}: ${(stderr || err.message).trim().split('\n').slice(-3).join(' / ')}`));
      else resolve(stdout);
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** A directory the server's user owns (PostgreSQL wants its data dir 0700). */
function ownDir(path: string, user: string | undefined, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  mkdirSync(path, { recursive: true, mode });
  chmodSync(path, mode);
  if (user) chownTree(path, user);
}

/** Settings on the postmaster's command line: per instance, and what replication needs. */
function serverArgs(i: PgInstance): string[] {
  const settings = {
    listen_addresses: i.address,
    port: String(i.port),
    unix_socket_directories: i.socketDir,
    cluster_name: i.name,
    wal_level: 'replica',
    max_wal_senders: '5',
    max_replication_slots: '5',
    hot_standby: 'on',
    // Feedback every second, so the primary's view of replay is fresh.
    wal_receiver_status_interval: '1s',
    // A lab keeps nothing: no fsync, small memory.
    fsync: 'off',
    shared_buffers: '16MB',
    max_connections: '30',
    logging_collector: 'off',
  };
  return ['-D', i.dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

/** The pgpass file the standby and pg_basebackup read the replication password from. */
export function writePgpass(path: string, primary: PgInstance, password: string, user: string | undefined): void {
  writeFileSync(path, `${primary.address}:${primary.port}:*:${PG_REPLICATION_USER}:${password}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  if (user) chownTree(path, user);
}

/** The conninfo a standby follows; `port` other than the primary's breaks it on purpose (a lab fault). */
export function primaryConninfo(primary: PgInstance, standbyName: string, pgpass: string, port = primary.port): string {
  return `host=${primary.address} port=${port} user=${PG_REPLICATION_USER} passfile=${pgpass} application_name=${standbyName} connect_timeout=2`;
}

export async function initPrimary(i: PgInstance): Promise<void> {
  ownDir(i.socketDir, i.runAs, 0o755);
  ownDir(i.dataDir, i.runAs, 0o700);
  await run(i.runAs, 'initdb', ['-D', i.dataDir, '-E', 'UTF8', '--locale=C', '--auth-local=peer', '--auth-host=scram-sha-256', '--no-sync']);
  // Replication from the lab's loopback addresses, by password; local sessions by peer.
  writeFileSync(
    join(i.dataDir, 'pg_hba.conf'),
    ['local all all peer', 'host replication replicator 127.0.0.0/8 scram-sha-256', 'host all all 127.0.0.0/8 scram-sha-256', ''].join('\n'),
  );
}

/** Creates the replication user (password on stdin) and a slot per standby. */
export async function prepareReplication(primary: PgInstance, password: string, slots: readonly string[]): Promise<void> {
  const literal = `'${password.replace(/'/g, "''")}'`;
  await sql(primary, [`CREATE ROLE ${PG_REPLICATION_USER} WITH REPLICATION LOGIN PASSWORD ${literal};`, ...slots.map((s) => `SELECT pg_create_physical_replication_slot('${s}');`)].join('\n'));
}

/** A standby of `primary` in `standby.dataDir`, by pg_basebackup over the replication login. */
export async function initStandby(standby: PgInstance, primary: PgInstance, pgpass: string): Promise<void> {
  ownDir(standby.socketDir, standby.runAs, 0o755);
  ownDir(standby.dataDir, standby.runAs, 0o700);
  const args = ['-h', primary.address, '-p', String(primary.port), '-U', PG_REPLICATION_USER, '-D', standby.dataDir, '-X', 'stream', '-c', 'fast', '-w', '--no-sync'];
  await run(standby.runAs, 'pg_basebackup', args, { env: { PGPASSFILE: pgpass } });
  writeFileSync(join(standby.dataDir, 'standby.signal'), '');
  const auto = [`primary_conninfo = '${primaryConninfo(primary, standby.name, pgpass)}'`, `primary_slot_name = '${standby.name}'`, ''].join('\n');
  writeFileSync(join(standby.dataDir, 'postgresql.auto.conf'), auto);
  if (standby.runAs) {
    chownTree(join(standby.dataDir, 'standby.signal'), standby.runAs);
    chownTree(join(standby.dataDir, 'postgresql.auto.conf'), standby.runAs);
  }
}

export async function startServer(ctx: Pick<LabContext, 'spawnDaemon'>, i: PgInstance): Promise<void> {
  const [command, args] = asUser(i.runAs, join(binDir(), 'postgres'), serverArgs(i));
  i.pid = await ctx.spawnDaemon(`postgresql-${i.name}`, command, args, { cwd: i.dataDir });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (i.pid && (await waitGone([i.pid], 0))) throw new Error(`postgresql on ${i.name} exited during startup (see logs/postgresql-${i.name}.log)`);
    if (await isReady(i)) return;
    if (Date.now() > deadline) throw new Error(`postgresql on ${i.name} not ready within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

async function isReady(i: PgInstance): Promise<boolean> {
  try {
    await run(i.runAs, 'pg_isready', ['-q', '-h', i.socketDir, '-p', String(i.port), '-d', 'postgres']);
    return true;
  } catch {
    return false;
  }
}

/** A fast shutdown (the real `pg_ctl stop -m fast`), bounded; then any process left is killed. */
export async function stopServer(i: PgInstance): Promise<void> {
  if (!i.pid) return;
  const pid = i.pid;
  i.pid = undefined;
  await run(i.runAs, 'pg_ctl', ['stop', '-D', i.dataDir, '-m', 'fast', '-w', '-t', '10']).catch(() => undefined);
  await waitGone(killTree(pid), 5000);
}

/** Runs SQL (on stdin, so no value is on a command line) over the unix socket; the unaligned, tuples-only output. */
export function sql(i: PgInstance, text: string): Promise<string> {
  return run(i.runAs, 'psql', ['-AtX', '-q', '-v', 'ON_ERROR_STOP=1', '-h', i.socketDir, '-p', String(i.port), '-d', 'postgres', '-f', '-'], { input: text, env: { PGCONNECT_TIMEOUT: '3' } });
}
