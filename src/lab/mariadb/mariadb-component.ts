// `lab up --with mariadb`: a real MariaDB source on db1 and a replica on
// db2 (GTID replication, read_only on the replica), each with its own data
// directory and socket under the lab dir, and a write load on the source.
// Faults: stop the source, stop the replica's threads (STOP SLAVE), break
// replication (the replica pointed at a closed port).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { LAB_MARIADB } from '../layout.js';
import { killTree, waitGone } from '../process-tree.js';
import { asUser } from '../postgresql/pg-server.js';
import { createReplicationUser, follow, initMariadb, mariadbSql, startMariadb, stopMariadb, type MariadbInstance } from './mariadb-server.js';

export const MARIADB_TARGETS = ['mariadb:primary', 'mariadb:replica', 'mariadb:replication'] as const;
const WRITES_PER_SECOND = 5;

/** Where a lab server keeps its files: `<dir>/mariadb/<host>/`. */
export function labMariadbInstance(dir: string, host: { id: string; address: string }, serverId: number, runAs: string | undefined): MariadbInstance {
  const base = join(dir, 'mariadb', host.id);
  return { name: host.id, address: host.address, port: LAB_MARIADB.port, serverId, dataDir: join(base, 'data'), socket: join(base, 'mysqld.sock'), runAs };
}

interface Running {
  ctx: LabContext;
  source: MariadbInstance;
  replica: MariadbInstance;
  password: string;
  loadPid?: number;
}

export class MariadbComponent implements LabComponent {
  readonly name = 'mariadb';
  readonly targets: readonly string[] = MARIADB_TARGETS;
  private running?: Running;

  constructor(private readonly loginUser: string | undefined) {}

  async start(ctx: LabContext): Promise<void> {
    if (this.running) throw new Error('mariadb is already running');
    const db1 = ctx.hosts.find((h) => h.roles.includes('db') && !h.roles.includes('replica'));
    const db2 = ctx.hosts.find((h) => h.roles.includes('replica'));
    if (!db1 || !db2) throw new Error(`mariadb needs a db host and a replica host (hosts: ${ctx.hosts.map((h) => h.id).join(', ')})`);
    const source = labMariadbInstance(ctx.dir, db1, 1, this.loginUser);
    const replica = labMariadbInstance(ctx.dir, db2, 2, this.loginUser);
    const password = randomBytes(16).toString('hex');
    this.running = { ctx, source, replica, password };
    await Promise.all([initMariadb(source), initMariadb(replica)]);
    await Promise.all([startMariadb(ctx, source), startMariadb(ctx, replica)]);
    await createReplicationUser(source, password);
    await mariadbSql(source, 'CREATE DATABASE baton; CREATE TABLE baton.load (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3));');
    await mariadbSql(replica, 'SET GLOBAL read_only = ON;');
    await follow(replica, source, password);
    await this.startLoad();
    ctx.log(`mariadb: source ${db1.id} ${source.address}:${source.port}, replica ${db2.id} ${replica.address}:${replica.port} (GTID), write load ${WRITES_PER_SECOND}/s`);
  }

  async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    await this.stopLoad(r);
    await Promise.all([stopMariadb(r.replica), stopMariadb(r.source)]);
  }

  async status(): Promise<ComponentStatus> {
    const r = this.running;
    if (!r) return { name: this.name, healthy: false, detail: 'not running', failed: [] };
    const failed: string[] = [];
    if (!r.source.pid) failed.push('mariadb:primary');
    let replica = 'stopped';
    if (r.replica.pid) {
      const row = await mariadbSql(r.replica, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('SLAVE_RUNNING'); SELECT @@read_only;").catch((err: Error) => err.message);
      replica = `replica running ${row.trim().split('\n').join(', read_only ')}`;
      if (/^OFF/.test(row.trim())) failed.push('mariadb:replica');
    }
    return { name: this.name, healthy: failed.length === 0, detail: `${r.source.name} ${r.source.pid ? 'source up' : 'stopped'}; ${r.replica.name} ${replica}; write load ${r.loadPid ? 'running' : 'stopped'}`, failed };
  }

  owns(target: string): boolean {
    return (MARIADB_TARGETS as readonly string[]).includes(target);
  }

  async fail(target: string, tookEffect?: (at?: number) => void): Promise<string> {
    const r = this.need(target);
    if (target === 'mariadb:primary') {
      if (!r.source.pid) return `${r.source.name} is already stopped`;
      await this.stopLoad(r);
      await stopMariadb(r.source);
      tookEffect?.();
      return `stopped the MariaDB source on ${r.source.name}: ${r.replica.name}'s IO thread reconnects in vain`;
    }
    if (target === 'mariadb:replica') {
      await mariadbSql(r.replica, 'STOP SLAVE;');
      tookEffect?.();
      return `stopped ${r.replica.name}'s replica threads (STOP SLAVE): it falls behind with the write load`;
    }
    await follow(r.replica, r.source, r.password, 1);
    tookEffect?.();
    return `pointed ${r.replica.name} at port 1: its IO thread cannot connect`;
  }

  async heal(target: string): Promise<string> {
    const r = this.need(target);
    if (target === 'mariadb:primary') {
      if (r.source.pid) return `${r.source.name} is already running`;
      await startMariadb(r.ctx, r.source);
      await this.startLoad();
      return `started ${r.source.name} again (if ${r.replica.name} was promoted meanwhile, the set now has two writable sources)`;
    }
    if (target === 'mariadb:replica') {
      await mariadbSql(r.replica, 'START SLAVE;');
      return `started ${r.replica.name}'s replica threads`;
    }
    await follow(r.replica, r.source, r.password);
    return `pointed ${r.replica.name} back at ${r.source.name}`;
  }

  /** INSERTs into the source a few times a second through one client reading a shell loop. */
  private async startLoad(): Promise<void> {
    const r = this.running;
    if (!r || r.loadPid) return;
    const loop = `while :; do echo 'INSERT INTO baton.load () VALUES ();'; sleep ${1 / WRITES_PER_SECOND}; done | mariadb --no-defaults -S "$1"`;
    const [command, args] = asUser(r.source.runAs, 'sh', ['-c', loop, 'mariadb-load', r.source.socket]);
    r.loadPid = await r.ctx.spawnDaemon('mariadb-load', command, args, { cwd: join(r.ctx.dir, 'mariadb') });
  }

  private async stopLoad(r: Running): Promise<void> {
    if (!r.loadPid) return;
    const pid = r.loadPid;
    r.loadPid = undefined;
    await waitGone(killTree(pid), 3000);
  }

  private need(target: string): Running {
    if (!this.owns(target)) throw new Error(`mariadb has no fault target '${target}'; it knows ${MARIADB_TARGETS.join(', ')}`);
    if (!this.running) throw new Error(`mariadb is not running: cannot act on ${target}`);
    return this.running;
  }
}
