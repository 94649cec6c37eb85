// The Databases pane's keys, through the real action engine: each server's
// psql is a script that answers what a real PostgreSQL 15 answered
// (test/fixtures/postgresql: stdout, stderr and exit status), run by the
// probe's own command line over a LocalTransport, for the pane and for the
// planner's fresh reading alike. F on a standby while the old primary still
// answers as primary opens the "old primary is fenced" choice; f plans the
// promote with --fenced SET into the confirm dialog, which asks for the
// set's name; z/u plan pause/resume of replay. Nothing is confirmed.
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

/** Makes HOST's psql answer as the server did in the capture `name`. */
function answerAs(host: string, name: string): void {
  const text = readFileSync(join(import.meta.dirname, '../fixtures/postgresql', `${name}.txt`), 'utf8');
  const [, out = '', err = '', rc = '0'] = /^@@baton:postgresql\n([\s\S]*?)\n@@baton:stderr\n([\s\S]*?)\n@@baton:exit (\d+)/.exec(text) ?? [];
  writeFileSync(join(dir, `${host}.out`), out);
  writeFileSync(join(dir, `${host}.err`), err);
  writeFileSync(join(dir, host), `#!/bin/sh\ncat '${join(dir, `${host}.out`)}'\ncat '${join(dir, `${host}.err`)}' >&2\nexit ${rc}\n`);
  chmodSync(join(dir, host), 0o755);
}

/** The console on the databases view, its pane fed once through the probe plan; the cursor on `host`. */
async function on(host: 'db1' | 'db2' | 'set', db1: string, db2: string): Promise<Mounted> {
  answerAs('db1', db1);
  answerAs('db2', db2);
  const inv = inventory(['db1', 'db2'].map((id) => localHost(id, { postgresql: { cluster: 'main', host: '/run/postgresql', psql: join(dir, id) } })));
  const store = createBatonStore(inv, { services: planServices(inv) });
  const now = Date.now();
  // The monitor's part, once: the probe's command over each host's transport.
  for (const r of await readServices({ state: store.getState(), inventory: inv, transports, now: () => now }, 'postgresql')) {
    const base = { kind: 'postgresql' as const, key: r.key, at: now };
    store.getState().applyServiceUpdates([isServiceRead(r) ? { ...base, type: 'snapshot', answeredBy: r.answeredBy, snapshot: r.snapshot, alerts: [] } : { ...base, type: 'error', message: r.error }], []);
  }
  const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
  m = mount(store, { viewName: 'databases', actions: service, clock: () => now, size: { columns: 120, rows: 40 } });
  await waitFor(() => /db2\s+standby/.test(screen(m!)), 5000, 'the Databases pane');
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
