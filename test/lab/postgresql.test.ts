// The lab's PostgreSQL pair (`lab up --with postgresql`) watched by a real
// baton session over the lab's SSH: replay paused with pg_wal_replay_pause()
// shows at the first poll after it, the lag at the first poll after psql
// sees it (the latency in time is the benchmark's); `baton act
// postgresql.promote db2` is refused (exit 3, with the reason) while db1 is
// primary; once db1 is stopped it promotes db2, the Databases pane shows one
// primary and the events the promotion. Needs `npm run build`; run under
// the lab lock: flock /tmp/baton-lab.lock npx vitest run test/lab/postgresql.test.ts
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { LAB_PG_SET } from '../../src/lab/lab-inventory.js';
import { ensureLabUser } from '../../src/lab/lab-user.js';
import { LAB_DB_REPLICA } from '../../src/lab/layout.js';
import { asUser, pgBinDir } from '../../src/lab/postgresql/pg-server.js';
import { labPgInstance } from '../../src/lab/postgresql/postgresql-component.js';
import type { PostgresqlServiceSnapshot } from '../../src/monitor/postgresql-plan.js';
import type { BatonState } from '../../src/store/types.js';
import { databaseSetLines, databaseSets } from '../../src/ui/panes/databases-lines.js';
import { BATON_CLI } from '../helpers/lab.js';
import { startLabSession, type LabSession } from '../helpers/lab-session.js';

const INTERVAL_S = 1;
const DB2 = `postgresql:${LAB_PG_SET}/db2`;
const DB1 = `postgresql:${LAB_PG_SET}/db1`;
let ls: LabSession;
const state = mkdtempSync(join(tmpdir(), 'baton-pg-state-'));

/** A command run without blocking the session's event loop. */
function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 90_000, env: { ...process.env, XDG_STATE_HOME: state } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr }),
    ),
  );
}

const baton = (...args: string[]) => run(process.execPath, [BATON_CLI, ...args]);
const act = (...args: string[]) => baton('act', ...args, '-i', ls.lab.files.inventory, '--yes');

/** SQL on db2 as the servers' own user, over its socket: the operator's psql. */
function onDb2(sql: string) {
  const i = labPgInstance(ls.lab.dir, LAB_DB_REPLICA, ensureLabUser());
  const [command, args] = asUser(i.runAs, 'psql', ['-AtX', '-h', i.socketDir, '-p', String(i.port), '-d', 'postgres', '-c', sql]);
  return run(command, args);
}

/** Resolves with the time the store first satisfies `test` (checked at every store change), bounded. */
function when(what: string, test: (s: BatonState) => boolean, timeoutMs = 20_000): Promise<number> {
  const store = ls.session.store;
  return new Promise((resolve, reject) => {
    if (test(store.getState())) return resolve(Date.now());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(buildSnapshot(store.getState(), Date.now()).postgresql).slice(0, 600)}`));
    }, timeoutMs);
    const unsubscribe = store.subscribe((s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(Date.now());
    });
  });
}

const snap = (s: BatonState, id: string) => s.services[id]?.snapshot as PostgresqlServiceSnapshot | undefined;
const fresh = (s: BatonState, id: string) => {
  const svc = s.services[id];
  return svc?.updatedAt !== undefined && !(svc.error && svc.error.at > svc.updatedAt);
};

describe.skipIf(pgBinDir() === undefined)('lab postgresql: watched and promoted by baton', () => {
  beforeAll(async () => {
    ls = await startLabSession(INTERVAL_S, { with: ['postgresql'] });
    await when('db1 primary and db2 streaming', (s) => snap(s, DB1)?.role === 'primary' && snap(s, DB2)?.recovery?.receiver?.status === 'streaming', 30_000);
  }, 180_000);

  afterAll(async () => {
    await ls?.stop();
    rmSync(state, { recursive: true, force: true });
  }, 60_000);

  it('is listed by lab status, healthy, with what each server is', () => {
    const pg = ls.lab.status().components.find((c) => c.name === 'postgresql');
    expect(pg).toMatchObject({ healthy: true, failed: [] });
    expect(pg?.detail).toMatch(/^db1 primary; db2 standby, receiver streaming; write load running$/);
  });

  it('shows the pause, and the lag, at the first poll after pg_wal_replay_pause() and after psql sees the lag', async () => {
    // Every answer db2's poller stores (updatedAt is when that poll started).
    const seen: Array<{ at: number; paused: boolean; delay: number }> = [];
    const unsubscribe = ls.session.store.subscribe((s) => {
      const svc = s.services[DB2];
      const r = snap(s, DB2)?.recovery;
      if (svc?.updatedAt !== undefined && r && seen.at(-1)?.at !== svc.updatedAt) seen.push({ at: svc.updatedAt, paused: r.paused, delay: r.replayDelayMs ?? 0 });
    });
    const asked = Date.now();
    expect((await onDb2('SELECT pg_wal_replay_pause()')).code).toBe(0);
    const pausedAt = Date.now();
    // The truth, read directly with psql every 100 ms: WAL received that replay has not applied.
    let truth = 0;
    for (let i = 0; i < 50 && !truth; i++) {
      const r = await onDb2('SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) > 0');
      if (r.out.trim() === 't') truth = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(truth).toBeGreaterThan(0);
    const shown = await when('db2 lagging', (s) => fresh(s, DB2) && snap(s, DB2)?.recovery?.paused === true && (snap(s, DB2)?.recovery?.replayDelayMs ?? 0) > 0);
    unsubscribe();
    // Load-independent: the first poll that started after the pause shows it, the first after psql saw the lag shows the lag.
    // (A poll that started earlier may show it too: its query ran after the change.)
    const firstPaused = seen.find((x) => x.paused);
    const firstLag = seen.find((x) => x.paused && x.delay > 0);
    expect(firstPaused?.at).toBeLessThanOrEqual(seen.find((x) => x.at > pausedAt)?.at ?? Infinity);
    expect(firstLag?.at).toBeLessThanOrEqual(seen.find((x) => x.at > truth)?.at ?? Infinity);
    console.log(`postgresql lab: lag shown ${shown - asked} ms after asking for the pause, ${shown - truth} ms after psql saw it (interval ${INTERVAL_S * 1000} ms)`);
    const lines = databaseSetLines(databaseSets(Object.values(ls.session.store.getState().services)).find((x) => x.name === LAB_PG_SET)!, { now: Date.now(), intervalMs: INTERVAL_S * 1000, width: 78 });
    const text = lines.map((l) => l.map((p) => p.text).join('')).join('\n');
    expect(text).toMatch(/db2\s+standby streaming\s+lag\s+\d+\.\d s .* paused/);
    expect(text).toContain('▲ db2: WAL replay is paused');
    expect((await onDb2('SELECT pg_wal_replay_resume()')).code).toBe(0);
    await when('db2 replaying again', (s) => snap(s, DB2)?.recovery?.paused === false);
  }, 30_000);

  it('refuses to promote db2 while db1 answers as primary: exit 3 and the reason', async () => {
    const r = await act('postgresql.promote', 'db2');
    expect(r.code).toBe(3);
    expect(r.out).toContain('db1 is primary (timeline 1, 1 standby connected): it is reachable and still primary, so promoting db2 would make two primaries (split brain)');
    expect(r.out).toContain(`give --fenced ${LAB_PG_SET}`);
    expect(snap(ls.session.store.getState(), DB2)?.role).toBe('standby');
  }, 60_000);

  it('promotes db2 once db1 is stopped: one primary in the pane, the promotion in the events', async () => {
    const failed = await baton('lab', 'fail', 'postgresql:primary', '--dir', ls.lab.dir);
    expect(failed.code).toBe(0);
    await when('db1 not answering', (s) => !fresh(s, DB1) && snap(s, DB2)?.recovery?.receiver?.status !== 'streaming');
    const r = await act('postgresql.promote', 'db2', '--json');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/"outcome": "ok"/);
    await when('db2 primary in the store', (s) => fresh(s, DB2) && snap(s, DB2)?.role === 'primary');
    const s = ls.session.store.getState();
    expect(buildSnapshot(s, Date.now()).postgresql.find((x) => x.set === LAB_PG_SET)?.primaries).toEqual(['db2']);
    const lines = databaseSetLines(databaseSets(Object.values(s.services)).find((x) => x.name === LAB_PG_SET)!, { now: Date.now(), intervalMs: INTERVAL_S * 1000, width: 78 });
    expect(lines[0]?.map((p) => p.text).join('')).toContain(`${LAB_PG_SET} · 1 primary, 0 standby`);
    expect(s.events.map((e) => e.message)).toContain(`${LAB_PG_SET}/db2: promoted: now primary on timeline 2`);
  }, 90_000);
});
