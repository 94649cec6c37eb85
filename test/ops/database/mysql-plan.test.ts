// The MySQL/MariaDB planner on states captured from a real MariaDB pair:
// promote runs STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=OFF in
// that order, refused while the old source takes writes unless --fenced
// names the set, refused while the lag is unknown (a thread stopped) unless
// --accept-lag names it; verify re-reads the server.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MysqlServiceSnapshot } from '../../../src/monitor/mysql-plan.js';
import { judgeMysql, mysqlActions } from '../../../src/ops/database/mysql-actions.js';
import type { MyFacts, MyMember } from '../../../src/ops/database/mysql-observe.js';
import { planMysql } from '../../../src/ops/database/mysql-plan.js';
import { confirmWord, type Plan } from '../../../src/ops/engine/plan.js';
import type { PlanContext, Refusal } from '../../../src/ops/engine/registry.js';
import { parseMysqlProbe } from '../../../src/probes/mysql.js';
import { createBatonStore } from '../../../src/store/store.js';
import { localHost } from '../failover/failover-harness.js';

function snap(name: string): MysqlServiceSnapshot {
  const r = parseMysqlProbe(readFileSync(new URL(`../../fixtures/mysql/${name}.txt`, import.meta.url), 'utf8'), 0);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return { ...r.snapshot, set: 'main', lagHistory: [], setAlerts: [] };
}

const member = (host: string, fixture: string | null): MyMember => ({ host, set: 'main', role: { host: '/run/mysqld/mysqld.sock' }, snapshot: fixture ? snap(fixture) : null, ...(fixture ? {} : { error: "Can't connect" }) });
const inventory = { name: 't', format: 'baton' as const, file: 't.yaml', hosts: [localHost('db1', { mysql: {} }), localHost('db2', { mysql: {} })], groups: {} };
const ctx = (members: MyMember[]): PlanContext<MyFacts> => ({ state: createBatonStore(inventory).getState(), inventory, now: 0, who: { user: 'u', host: 'h', pid: 1 }, newId: () => 'id', facts: { members } });
const plan = (op: string, members: MyMember[], argv: string[], options: Record<string, unknown> = {}) =>
  planMysql(ctx(members), mysqlActions.find((a) => a.name === `mysql.${op}`)!.parseArgs(argv, options)) as Plan | Refusal;

describe('mysql.promote', () => {
  it('is refused while the old source takes writes, and names how to go on', () => {
    const r = plan('promote', [member('db1', 'not-configured'), member('db2', 'replica-streaming')], ['db2']);
    expect(r).toMatchObject({ refused: true, hint: 'stop or fence db1 first (or SET GLOBAL read_only=ON there); if it is already fenced, give --fenced main' });
    expect((r as Refusal).reason).toMatch(/^db1 is a source \(no replication configured, read_only OFF\): it answers and takes writes/);
  });

  it('runs the three statements in order on the replica once the source is gone, typed', () => {
    const p = plan('promote', [member('db1', null), member('db2', 'replica-streaming')], ['db2']) as Plan;
    expect(p.steps.map((s) => s.label)).toEqual(['mysql on db2: STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF']);
    expect(p.steps[0]?.spec).toEqual({ kind: 'command', command: "mysql --batch --connect-timeout\\=3 -S /run/mysqld/mysqld.sock -e 'STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF' </dev/null" });
    expect(confirmWord(p)).toBe('main');
  });

  it('is refused while the lag is unknown (the SQL thread stopped) unless --accept-lag names the set', () => {
    const members = [member('db1', null), member('db2', 'replica-sql-error')];
    expect(plan('promote', members, ['db2'])).toMatchObject({ refused: true, reason: 'db2: its lag is unknown (IO Yes, SQL No); transactions it has not applied are lost to it' });
    expect(plan('promote', members, ['db2'], { acceptLag: 'main' })).toMatchObject({ action: 'mysql.promote' });
  });

  it('is refused on a server with no replication', () => {
    expect(plan('promote', [member('db1', 'not-configured')], ['db1'])).toEqual({ refused: true, reason: 'db1 is not a replica: no replication is configured on it' });
  });

  it('verify: ok once no channel is left and read_only is OFF', () => {
    const args = { op: 'promote' as const, host: 'db2', maxLagMs: 1, timeoutMs: 1 };
    expect(judgeMysql({ members: [member('db2', 'promoted')] }, args)).toEqual({ outcome: 'ok', detail: 'db2 is a source (no replication configured, read_only OFF)' });
    expect(judgeMysql({ members: [member('db2', 'replica-streaming')] }, args).outcome).toBe('failed');
  });
});

describe('mysql.stop-replica and start-replica', () => {
  it('act on a replica in the matching state', () => {
    expect(plan('stop-replica', [member('db2', 'replica-streaming')], ['db2'])).toMatchObject({ title: 'mysql stop-replica on db2' });
    expect(plan('start-replica', [member('db2', 'replica-streaming')], ['db2'])).toEqual({ refused: true, reason: 'replication on db2 already runs' });
    expect(plan('start-replica', [member('db2', 'replica-sql-error')], ['db2'])).toMatchObject({ steps: [expect.objectContaining({ label: 'mysql on db2: START REPLICA' })] });
  });
});
