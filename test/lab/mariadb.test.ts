// The lab's MariaDB pair (`lab up --with mariadb`) watched by a real baton
// session over the lab's SSH: STOP SLAVE shows as stopped threads; `baton
// act mysql.promote db2` is refused (exit 3, with the reason) while db1 takes
// writes; once db1 is stopped it promotes db2 (STOP REPLICA; RESET REPLICA
// ALL; SET GLOBAL read_only=OFF), the Databases pane shows one primary and
// the events the promotion. Needs `npm run build`; run under the lab lock:
// flock /tmp/baton-lab.lock npx vitest run test/lab/mariadb.test.ts
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { LAB_MARIADB_SET } from '../../src/lab/lab-inventory.js';
import { MARIADBD } from '../../src/lab/mariadb/mariadb-server.js';
import type { MysqlServiceSnapshot } from '../../src/monitor/mysql-plan.js';
import type { BatonState } from '../../src/store/types.js';
import { databaseSetLines, databaseSets } from '../../src/ui/panes/databases-lines.js';
import { BATON_CLI } from '../helpers/lab.js';
import { startLabSession, type LabSession } from '../helpers/lab-session.js';

const INTERVAL_S = 1;
const DB2 = `mysql:${LAB_MARIADB_SET}/db2`;
const DB1 = `mysql:${LAB_MARIADB_SET}/db1`;
let ls: LabSession;
const state = mkdtempSync(join(tmpdir(), 'baton-mariadb-state-'));

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

/** Resolves with the time the store first satisfies `test` (checked at every store change), bounded. */
function when(what: string, test: (s: BatonState) => boolean, timeoutMs = 20_000): Promise<number> {
  const store = ls.session.store;
  return new Promise((resolve, reject) => {
    if (test(store.getState())) return resolve(Date.now());
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(buildSnapshot(store.getState(), Date.now()).mysql).slice(0, 600)}`));
    }, timeoutMs);
    const unsubscribe = store.subscribe((s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(Date.now());
    });
  });
}

const snap = (s: BatonState, id: string) => s.services[id]?.snapshot as MysqlServiceSnapshot | undefined;
const fresh = (s: BatonState, id: string) => {
  const svc = s.services[id];
  return svc?.updatedAt !== undefined && !(svc.error && svc.error.at > svc.updatedAt);
};

const channel = (s: BatonState) => snap(s, DB2)?.channels[0];

describe.skipIf(!existsSync(MARIADBD))('lab mariadb: watched and promoted by baton', () => {
  beforeAll(async () => {
    ls = await startLabSession(INTERVAL_S, { with: ['mariadb'] });
    await when('db1 source and db2 replicating', (s) => snap(s, DB1)?.role === 'primary' && channel(s)?.ioRunning === 'Yes' && channel(s)?.sqlRunning === 'Yes', 30_000);
  }, 180_000);

  afterAll(async () => {
    await ls?.stop();
    rmSync(state, { recursive: true, force: true });
  }, 60_000);

  it('shows the replica\'s threads stopped after mariadb:replica, and running again after heal', async () => {
    expect((await baton('lab', 'fail', 'mariadb:replica', '--dir', ls.lab.dir)).code).toBe(0);
    await when('threads stopped', (s) => fresh(s, DB2) && channel(s)?.ioRunning === 'No' && channel(s)?.sqlRunning === 'No');
    const alerts = ls.session.store.getState().services[DB2]?.alerts.map((a) => a.message) ?? [];
    expect(alerts).toEqual(['replication: IO thread stopped (stopped)', 'replication: SQL thread stopped (stopped)']);
    expect((await baton('lab', 'heal', 'mariadb:replica', '--dir', ls.lab.dir)).code).toBe(0);
    await when('threads running', (s) => fresh(s, DB2) && channel(s)?.ioRunning === 'Yes' && channel(s)?.sqlRunning === 'Yes');
  }, 60_000);

  it('refuses to promote db2 while db1 takes writes: exit 3 and the reason', async () => {
    const r = await act('mysql.promote', 'db2');
    expect(r.code).toBe(3);
    expect(r.out).toContain('db1 is a source (no replication configured, read_only OFF): it answers and takes writes, so promoting db2 would make two writable sources (split brain)');
    expect(r.out).toContain(`give --fenced ${LAB_MARIADB_SET}`);
  }, 60_000);

  it('promotes db2 once db1 is stopped: one primary in the pane, the promotion in the events', async () => {
    expect((await baton('lab', 'fail', 'mariadb:primary', '--dir', ls.lab.dir)).code).toBe(0);
    await when('db1 not answering', (s) => !fresh(s, DB1));
    // The IO thread retries a source that is gone: its lag is unknown only once it notices; accept it either way, by name.
    const r = await act('mysql.promote', 'db2', '--accept-lag', LAB_MARIADB_SET, '--json');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/"outcome": "ok"/);
    await when('db2 a writable source in the store', (s) => fresh(s, DB2) && snap(s, DB2)?.channels.length === 0 && snap(s, DB2)?.readOnly === false);
    const s = ls.session.store.getState();
    expect(buildSnapshot(s, Date.now()).mysql.find((x) => x.set === LAB_MARIADB_SET)?.primaries).toEqual(['db2']);
    const set = databaseSets(Object.values(s.services)).find((x) => x.name === LAB_MARIADB_SET && x.kind === 'mysql')!;
    const lines = databaseSetLines(set, { now: Date.now(), intervalMs: INTERVAL_S * 1000, width: 78 });
    expect(lines[0]?.map((p) => p.text).join('')).toContain(`${LAB_MARIADB_SET} (MySQL) · 1 primary, 0 replica`);
    expect(s.events.map((e) => e.message)).toContain(`${LAB_MARIADB_SET}/db2: promoted: no replication configured any more, writable`);
  }, 90_000);
});
