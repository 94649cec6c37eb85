// The PostgreSQL planner on states captured from real servers: promote is
// refused while the old primary answers as primary unless the set is named
// with --fenced, refused above the lag limit unless named with --accept-lag;
// pause/resume act on a standby only. Refusals say why and what to do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PostgresqlServiceSnapshot } from '../../../src/monitor/postgresql-plan.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { confirmLevel, confirmWord } from '../../../src/ops/engine/plan.js';
import type { PlanContext, Refusal } from '../../../src/ops/engine/registry.js';
import { postgresqlActions } from '../../../src/ops/database/postgresql-actions.js';
import type { PgFacts, PgMember } from '../../../src/ops/database/postgresql-observe.js';
import { planPostgresql } from '../../../src/ops/database/postgresql-plan.js';
import { judgePostgresql } from '../../../src/ops/database/postgresql-verify.js';
import { parsePostgresqlProbe } from '../../../src/probes/postgresql.js';
import { createBatonStore } from '../../../src/store/store.js';
import { localHost } from '../failover/failover-harness.js';

function snap(name: string): PostgresqlServiceSnapshot {
  const r = parsePostgresqlProbe(readFileSync(new URL(`../../fixtures/postgresql/${name}.txt`, import.meta.url), 'utf8'), 0);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return { ...r.snapshot, set: 'main', lagHistory: [], setAlerts: [] };
}

const member = (host: string, fixture: string | null): PgMember => ({ host, set: 'main', role: { host: '/run/postgresql' }, snapshot: fixture ? snap(fixture) : null, ...(fixture ? {} : { error: 'connection refused' }) });
const hosts = [localHost('db1', { postgresql: { cluster: 'main' } }), localHost('db2', { postgresql: { cluster: 'main' } })];
const inventory = { name: 't', format: 'baton' as const, file: 't.yaml', hosts, groups: {} };
const ctx = (members: PgMember[]): PlanContext<PgFacts> => ({ state: createBatonStore(inventory).getState(), inventory, now: 0, who: { user: 'u', host: 'h', pid: 1 }, newId: () => 'id', facts: { members } });
const action = (name: string) => postgresqlActions.find((a) => a.name === `postgresql.${name}`)!;
const plan = (name: string, members: PgMember[], argv: string[], options: Record<string, unknown> = {}) => planPostgresql(ctx(members), action(name).parseArgs(argv, options)) as Plan | Refusal;

describe('postgresql.promote', () => {
  it('is refused while the old primary answers as primary, saying how to go on', () => {
    const r = plan('promote', [member('db1', 'streaming-primary'), member('db2', 'streaming-standby')], ['db2']);
    expect(r).toMatchObject({ refused: true, hint: 'stop or fence db1 first; if it is already fenced (it can take no writes), give --fenced main' });
    expect((r as Refusal).reason).toMatch(/^db1 is primary \(timeline 1, 1 standby connected\): it is reachable and still primary, so promoting db2 would make two primaries/);
  });

  it('goes ahead when the set is typed as fenced, with a typed confirmation and the lag shown', () => {
    const p = plan('promote', [member('db1', 'streaming-primary'), member('db2', 'streaming-standby')], ['db2'], { fenced: 'main' }) as Plan;
    expect(p.steps).toEqual([expect.objectContaining({ hostId: 'db2', label: 'psql on db2: SELECT pg_promote(true, 60)' })]);
    expect(p.steps[0]?.spec).toEqual({ kind: 'command', command: "PGCONNECT_TIMEOUT=3 psql -AtX -w -v ON_ERROR_STOP\\=1 -h /run/postgresql -d postgres -c 'SELECT pg_promote(true, 60)' </dev/null" });
    expect(confirmLevel(p)).toBe('typed');
    expect(confirmWord(p)).toBe('main');
    expect(p.preconditions).toEqual([
      { what: 'db2 replay lag within 60 s', ok: true, detail: '0.0 s' },
      { what: 'old server db1 cannot take writes', ok: false, detail: 'db1 is primary (timeline 1, 1 standby connected) (declared fenced)' },
    ]);
    expect(p.locks).toEqual(['postgresql:main']);
  });

  it('refuses --fenced with another name', () => {
    expect(plan('promote', [member('db1', 'streaming-primary'), member('db2', 'streaming-standby')], ['db2'], { fenced: 'db1' })).toEqual({ refused: true, reason: '--fenced must name the set exactly: main' });
  });

  it('goes ahead without --fenced once the old primary does not answer', () => {
    const p = plan('promote', [member('db1', null), member('db2', 'disconnected-standby')], ['db2']);
    expect(p).toMatchObject({ action: 'postgresql.promote', targets: ['db2'] });
  });

  it('is refused above the lag limit unless --accept-lag names the set', () => {
    const members = [member('db1', null), member('db2', 'paused-standby')];
    const r = plan('promote', members, ['db2'], { maxLag: '1' });
    expect(r).toMatchObject({ refused: true, hint: 'give --accept-lag main to promote anyway' });
    expect((r as Refusal).reason).toMatch(/^db2: its replay lag is 4\.\d s, over 1 s/);
    expect(plan('promote', members, ['db2'], { maxLag: '1', acceptLag: 'main' })).toMatchObject({ action: 'postgresql.promote' });
  });

  it('is refused on a primary and on a server that does not answer', () => {
    expect(plan('promote', [member('db1', 'streaming-primary')], ['db1'])).toMatchObject({ refused: true, reason: 'db1 is not a standby: it is already primary (timeline 1)' });
    expect(plan('promote', [member('db2', null)], ['db2'])).toMatchObject({ refused: true, reason: 'db2 does not answer: connection refused' });
    expect(plan('promote', [member('db2', null)], ['db9'])).toMatchObject({ refused: true, reason: 'db9 has no postgresql role; servers: db2' });
  });

  it('verify: ok once the candidate answers as primary, saying when the old one still does', () => {
    const args = { op: 'promote' as const, host: 'db2', set: 'main', maxLagMs: 60_000, timeoutMs: 1 };
    expect(judgePostgresql({ members: [member('db1', null), member('db2', 'promoted-standby')] }, args)).toEqual({ outcome: 'ok', detail: 'db2 is primary (timeline 2, 0 standbys connected)' });
    expect(judgePostgresql({ members: [member('db1', 'promoted-old-primary'), member('db2', 'promoted-standby')] }, args).detail).toMatch(/db1 still answers as primary: keep it fenced$/);
    expect(judgePostgresql({ members: [member('db2', 'streaming-standby')] }, args).outcome).toBe('failed');
  });
});

describe('postgresql.pause-replay and resume-replay', () => {
  it('act on a standby in the matching state only', () => {
    expect(plan('pause-replay', [member('db2', 'streaming-standby')], ['db2'])).toMatchObject({ title: 'postgresql pause-replay on db2' });
    expect(plan('pause-replay', [member('db2', 'paused-standby')], ['db2'])).toEqual({ refused: true, reason: 'replay on db2 is already paused' });
    expect(plan('resume-replay', [member('db2', 'streaming-standby')], ['db2'])).toEqual({ refused: true, reason: 'replay on db2 is not paused' });
    expect(plan('resume-replay', [member('db2', 'paused-standby')], ['db2'])).toMatchObject({ steps: [expect.objectContaining({ label: 'psql on db2: SELECT pg_wal_replay_resume()' })] });
    expect(() => action('pause-replay').parseArgs(['db2'], { fenced: 'main' })).toThrow('--fenced and --accept-lag are for postgresql.promote');
  });
});
