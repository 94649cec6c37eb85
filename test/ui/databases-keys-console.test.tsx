// The Databases pane's keys, through the real action engine: each server's
// psql is a script that answers what a real PostgreSQL 15 answered
// (test/fixtures/postgresql: stdout, stderr and exit status), run by the
// probe's own command line over a LocalTransport, for the pane and for the
// planner's fresh reading alike. F on a standby while the old primary still
// answers as primary opens the "old primary is fenced" choice; f plans the
// promote with --fenced SET into the confirm dialog, which asks for the
// set's name; z/u plan pause/resume of replay. The same keys on MariaDB
// (its client answering per statement) start the mysql actions. Nothing is confirmed.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { planServices } from '../../src/monitor/service-plan.js';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { readServices, isServiceRead } from '../../src/ops/engine/read-service.js';
import { createBatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { waitFor } from '../helpers/wait-for.js';
import { localHost } from '../ops/failover/failover-harness.js';
import { inventory } from './fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from './render-app.js';

let dir = '';
const transports = new Map(['db1', 'db2'].map((id) => [id, new LocalTransport(id, { commandTimeoutMs: 10_000 })]));
let m: Mounted | undefined;
type Kind = 'postgresql' | 'mysql';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-db-keys-'));
});

afterEach(() => {
  cleanup();
  m?.unmount();
});

afterAll(async () => {
  await Promise.all([...transports.values()].map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

const fixture = (kind: Kind, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', kind, `${name}.txt`), 'utf8');
const part = (text: string, head: string) => new RegExp(`${head}\n([\\s\\S]*?)\n@@baton:stderr\n([\\s\\S]*?)\n@@baton:exit (\\d+)`).exec(text) ?? [];

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}`);
  chmodSync(path, 0o755);
}

/** Makes HOST's client answer as the server did in the capture `name` (mysql: per statement the probe sends). */
function answerAs(kind: Kind, host: string, name: string): void {
  const text = fixture(kind, name);
  const file = (what: string, content: string) => (writeFileSync(join(dir, `${host}.${what}`), content), `'${join(dir, `${host}.${what}`)}'`);
  if (kind === 'postgresql') {
    const [, out = '', err = '', rc = '0'] = part(text, '^@@baton:postgresql');
    return script(join(dir, host), `cat ${file('out', out)}\ncat ${file('err', err)} >&2\nexit ${rc}\n`);
  }
  const [, vars = ''] = part(text, '^@@baton:variables');
  const statement = /@@baton:statement (.*)/.exec(text)?.[1] ?? 'none';
  const [, replicas = ''] = part(text, `@@baton:statement ${statement}`);
  script(join(dir, host), `case "$*" in\n  *VARIABLES*) cat ${file('vars', vars)} ;;\n  *'${statement}'*) cat ${file('replicas', replicas)} ;;\n  *) exit 1 ;;\nesac\n`);
}

/** The console on the databases view, its pane fed once through the probe plan; the cursor on `host`. */
async function on(host: 'db1' | 'db2' | 'set', db1: string, db2: string, kind: Kind = 'postgresql'): Promise<Mounted> {
  answerAs(kind, 'db1', db1);
  answerAs(kind, 'db2', db2);
  const client = kind === 'postgresql' ? { host: '/run/postgresql', psql: '' } : { host: '/run/mysqld/mysqld.sock', mysql: '' };
  const inv = inventory(['db1', 'db2'].map((id) => localHost(id, { [kind]: { cluster: 'main', ...client, [kind === 'postgresql' ? 'psql' : 'mysql']: join(dir, id) } })));
  const store = createBatonStore(inv, { services: planServices(inv) });
  const now = Date.now();
  // The monitor's part, once: the probe's command over each host's transport.
  for (const r of await readServices({ state: store.getState(), inventory: inv, transports, now: () => now }, kind)) {
    const base = { kind, key: r.key, at: now };
    store.getState().applyServiceUpdates([isServiceRead(r) ? { ...base, type: 'snapshot', answeredBy: r.answeredBy, snapshot: r.snapshot, alerts: [] } : { ...base, type: 'error', message: r.error }], []);
  }
  const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
  m = mount(store, { viewName: 'databases', actions: service, clock: () => now, size: { columns: 120, rows: 40 } });
  await waitFor(() => /db2\s+(standby|replica)/.test(screen(m!)), 5000, 'the Databases pane');
  if (host !== 'set') await press(m, 'G', ...(host === 'db1' ? ['k'] : []));
  return m;
}

describe('databases pane keys', () => {
  test('the key line names F promote and z/u; ? says what each does', async () => {
    const c = await on('db2', 'streaming-primary', 'streaming-standby');
    expect(screen(c)).toMatch(/F promote {2}z\/u pause\/resume/);
    await press(c, '?');
    expect(screen(c)).toMatch(/F\s+Databases pane: pro/);
  });

  test('F on the standby while the primary answers: why, the fenced choice; f plans --fenced into the typed confirmation', async () => {
    const c = await on('db2', 'streaming-primary', 'streaming-standby');
    await press(c, 'F');
    await waitFor(() => /Promote db2\?/.test(screen(c)), 20_000, 'the fenced choice');
    expect(screen(c)).toContain('postgresql.promote db2: db1 is primary (timeline 1, 1 standby connected): it is reachable and still primary');
    expect(screen(c)).toContain('f old primary is fenced (it can take no writes): plan with --fenced main, then type main to confirm');
    await press(c, 'f');
    await waitFor(() => /Confirm postgresql\.promote/.test(screen(c)), 20_000, 'the confirm dialog');
    expect(screen(c)).toContain('typed confirmation');
    expect(screen(c)).toContain('(declared fenced');
    await press(c, ...'db2', KEYS.enter);
    expect(screen(c)).toContain('type main exactly to confirm');
    await press(c, KEYS.escape);
    expect(screen(c)).toContain('cancelled: nothing ran');
  });

  test('F with the old primary down goes straight to the confirm dialog; esc in the fenced choice runs nothing', async () => {
    const c = await on('db2', 'down', 'disconnected-standby');
    await press(c, 'F');
    await waitFor(() => /Confirm postgresql\.promote/.test(screen(c)), 20_000, 'the confirm dialog');
    expect(screen(c)).not.toContain('declared fenced');
    await press(c, KEYS.escape);
    const d = await on('db2', 'streaming-primary', 'streaming-standby');
    await press(d, 'F');
    await waitFor(() => /Promote db2\?/.test(screen(d)), 20_000, 'the fenced choice');
    await press(d, KEYS.escape);
    expect(screen(d)).toContain('cancelled: nothing ran');
  });

  test('F on the primary: the guard says it is primary already; off a server: where to put the cursor', async () => {
    const c = await on('db1', 'streaming-primary', 'streaming-standby');
    await press(c, 'F');
    await waitFor(() => /db1 is not a standby: it is already primary/.test(screen(c)), 20_000, 'the refusal');
    const d = await on('set', 'streaming-primary', 'streaming-standby');
    await press(d, 'F');
    await waitFor(() => /put the cursor on a server of a replication set/.test(screen(d)), 2000, 'the hint');
  });

  test('z plans pause-replay on the standby; u on a standby that is not paused says so', async () => {
    const c = await on('db2', 'streaming-primary', 'streaming-standby');
    await press(c, 'z');
    await waitFor(() => /Confirm postgresql\.pause-replay/.test(screen(c)), 20_000, 'the confirm dialog');
    expect(screen(c)).toContain('paused (its lag grows while the primary writes)');
    await press(c, KEYS.escape);
    await press(c, 'u');
    await waitFor(() => /replay on db2 is not paused/.test(screen(c)), 20_000, 'the refusal');
  });
});

describe('databases pane keys: MariaDB', () => {
  test('F on the replica while the source is writable: the fenced choice, then mysql.promote with --fenced; z plans mysql.stop-replica', async () => {
    const c = await on('db2', 'not-configured', 'replica-streaming', 'mysql');
    await press(c, 'F');
    await waitFor(() => /Promote db2\?/.test(screen(c)), 20_000, 'the fenced choice');
    expect(screen(c)).toContain('mysql.promote db2: ');
    await press(c, 'f');
    await waitFor(() => /Confirm mysql\.promote/.test(screen(c)), 20_000, 'the confirm dialog');
    expect(screen(c)).toContain('✗ old server db1 takes no writes (db1 is a source (no replication configured, read_only OFF) (declared');
    await press(c, KEYS.escape);
    await press(c, 'z');
    await waitFor(() => /Confirm mysql\.stop-replica/.test(screen(c)), 20_000, 'the confirm dialog');
    await press(c, KEYS.escape);
  });
});
