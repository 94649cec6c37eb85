// `lab up --with postgresql`: a real PostgreSQL primary on db1 and a
// streaming standby on db2 (pg_basebackup, a physical slot), each with its
// own data directory, socket directory and port under the lab dir, and a
// write load on the primary so lag shows as soon as replay stops. Faults:
// stop the primary (pg_ctl stop -m fast), pause replay on the standby
// (pg_wal_replay_pause), break replication (primary_conninfo to a closed port).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { epochMs, type ComponentStatus, type LabComponent, type LabContext } from '../component.js';
import { LAB_POSTGRESQL } from '../layout.js';
import { asUser, initPrimary, initStandby, prepareReplication, primaryConninfo, sql, startServer, stopServer, writePgpass, type PgInstance } from './pg-server.js';
import { killTree, waitGone } from '../process-tree.js';

export const POSTGRESQL_TARGETS = ['postgresql:primary', 'postgresql:replay', 'postgresql:replication'] as const;
/** Rows the write load inserts per second: a standby that stops replaying falls behind at once. */
export const WRITE_LOAD_PER_SECOND = 5;
export const LOAD_TABLE = 'baton_load';

/** Where a lab server keeps its files: `<dir>/postgresql/<host>/{data,run}`. */
export function labPgInstance(dir: string, host: { id: string; address: string }, runAs: string | undefined): PgInstance {
  const base = join(dir, 'postgresql', host.id);
  return { name: host.id, address: host.address, port: LAB_POSTGRESQL.port, dataDir: join(base, 'data'), socketDir: join(base, 'run'), runAs };
}

interface Running {
  ctx: LabContext;
  primary: PgInstance;
  standby: PgInstance;
  pgpass: string;
  loadPid?: number;
}

export class PostgresqlComponent implements LabComponent {
  readonly name = 'postgresql';
  readonly targets: readonly string[] = POSTGRESQL_TARGETS;
  private running?: Running;

  /** loginUser: the lab user when root (PostgreSQL will not run as root). */
  constructor(private readonly loginUser: string | undefined) {}

  async start(ctx: LabContext): Promise<void> {
    if (this.running) throw new Error('postgresql is already running');
    const db1 = ctx.hosts.find((h) => h.roles.includes('db') && !h.roles.includes('replica'));
    const db2 = ctx.hosts.find((h) => h.roles.includes('replica'));
    if (!db1 || !db2) throw new Error(`postgresql needs a db host and a replica host (hosts: ${ctx.hosts.map((h) => h.id).join(', ')})`);
    const primary = labPgInstance(ctx.dir, db1, this.loginUser);
    const standby = labPgInstance(ctx.dir, db2, this.loginUser);
    const pgpass = join(ctx.dir, 'postgresql', 'pgpass');
    this.running = { ctx, primary, standby, pgpass };
    await initPrimary(primary);
    await startServer(ctx, primary);
    const password = randomBytes(16).toString('hex');
    await prepareReplication(primary, password, [standby.name]);
    writePgpass(pgpass, primary, password, this.loginUser);
    await sql(primary, `CREATE TABLE ${LOAD_TABLE}(id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());`);
    await initStandby(standby, primary, pgpass);
    await startServer(ctx, standby);
    await this.startLoad();
    ctx.log(`postgresql: primary ${db1.id} ${primary.address}:${primary.port}, standby ${db2.id} ${standby.address}:${standby.port} (slot ${standby.name}), write load ${WRITE_LOAD_PER_SECOND}/s`);
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    await this.stopLoad(running);
    await Promise.all([stopServer(running.standby), stopServer(running.primary)]);
  }

  async status(): Promise<ComponentStatus> {
    const r = this.running;
    if (!r) return { name: this.name, healthy: false, detail: 'not running', failed: [] };
    const failed: string[] = [];
    const parts = await Promise.all([r.primary, r.standby].map(async (i) => `${i.name} ${await this.describe(i, failed)}`));
    return { name: this.name, healthy: failed.length === 0, detail: `${parts.join('; ')}; write load ${r.loadPid ? 'running' : 'stopped'}`, failed: [...new Set(failed)] };
  }

  owns(target: string): boolean {
    return (POSTGRESQL_TARGETS as readonly string[]).includes(target);
  }

  async fail(target: string, tookEffect?: (at?: number) => void): Promise<string> {
    const r = this.need(target);
    if (target === 'postgresql:primary') {
      const primary = await this.currentPrimary(r);
      if (!primary) return 'no PostgreSQL primary is running';
      await this.stopLoad(r);
      await stopServer(primary);
      tookEffect?.();
      return `stopped the primary on ${primary.name} (pg_ctl stop -m fast): ${r.standby.name === primary.name ? r.primary.name : r.standby.name} stops streaming`;
    }
    if (target === 'postgresql:replay') {
      await sql(r.standby, 'SELECT pg_wal_replay_pause();');
      tookEffect?.(epochMs());
      return `paused WAL replay on ${r.standby.name}: its lag grows with the write load`;
    }
    await this.setConninfo(r, 1);
    tookEffect?.();
    return `pointed ${r.standby.name}'s primary_conninfo at port 1: its WAL receiver cannot connect`;
  }

  async heal(target: string): Promise<string> {
    const r = this.need(target);
    if (target === 'postgresql:primary') {
      if (r.primary.pid) return `${r.primary.name} is already running`;
      await startServer(r.ctx, r.primary);
      await this.startLoad();
      return `started ${r.primary.name} again (if ${r.standby.name} was promoted meanwhile, the set now has two primaries)`;
    }
    if (target === 'postgresql:replay') {
      await sql(r.standby, 'SELECT pg_wal_replay_resume();');
      return `resumed WAL replay on ${r.standby.name}`;
    }
    await this.setConninfo(r, r.primary.port);
    return `restored ${r.standby.name}'s primary_conninfo`;
  }

  private async setConninfo(r: Running, port: number): Promise<void> {
    await sql(r.standby, `ALTER SYSTEM SET primary_conninfo = '${primaryConninfo(r.primary, r.standby.name, r.pgpass, port)}';\nSELECT pg_reload_conf();`);
  }

  private async currentPrimary(r: Running): Promise<PgInstance | undefined> {
    for (const i of [r.primary, r.standby]) {
      if (!i.pid) continue;
      if ((await sql(i, 'SELECT pg_is_in_recovery();').catch(() => 't')).trim() === 'f') return i;
    }
    return undefined;
  }

  private async describe(i: PgInstance, failed: string[]): Promise<string> {
    if (!i.pid) {
      failed.push('postgresql:primary');
      return 'stopped';
    }
    try {
      const [recovery, paused, receiver] = (await sql(i, "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END, (SELECT status FROM pg_stat_wal_receiver);")).trim().split('|');
      if (recovery === 'f') return 'primary';
      if (paused === 't') failed.push('postgresql:replay');
      if (receiver !== 'streaming') failed.push('postgresql:replication');
      return `standby, receiver ${receiver || 'none'}${paused === 't' ? ', replay paused' : ''}`;
    } catch (err) {
      return `not answering (${(err as Error).message})`;
    }
  }

  /** INSERTs into the primary a few times a second through one psql reading a shell loop. */
  private async startLoad(): Promise<void> {
    const r = this.running;
    if (!r || r.loadPid) return;
    const i = r.primary;
    const loop = `while :; do echo 'INSERT INTO ${LOAD_TABLE} DEFAULT VALUES;'; sleep ${1 / WRITE_LOAD_PER_SECOND}; done | psql -AtXq -h "$1" -p "$2" -d postgres`;
    const [command, args] = asUser(i.runAs, 'sh', ['-c', loop, 'postgresql-load', i.socketDir, String(i.port)]);
    r.loadPid = await r.ctx.spawnDaemon('postgresql-load', command, args, { cwd: join(r.ctx.dir, 'postgresql') });
  }

  private async stopLoad(r: Running): Promise<void> {
    if (!r.loadPid) return;
    const pid = r.loadPid;
    r.loadPid = undefined;
    await waitGone(killTree(pid), 3000);
  }

  private need(target: string): Running {
    if (!this.owns(target)) throw new Error(`postgresql has no fault target '${target}'; it knows ${POSTGRESQL_TARGETS.join(', ')}`);
    if (!this.running) throw new Error(`postgresql is not running: cannot act on ${target}`);
    return this.running;
  }
}
