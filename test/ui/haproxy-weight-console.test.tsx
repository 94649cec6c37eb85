// w on an HAProxy server: the weight prompt (the weight show stat gives now,
// a bad text refused in the prompt by the action's own parser, Esc
// cancels), and hatop's steps [ ] { } =, each planned through the real
// haproxy.weight (a real haproxy 2.6 on 127.0.6.x, its admin socket through
// a LocalTransport) into the confirm dialog. Nothing is confirmed: no weight
// changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { haproxyProbeCommand, parseHaproxyProbe } from '../../src/probes/haproxy.js';
import { createBatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { waitFor } from '../helpers/wait-for.js';
import { localHost } from '../ops/failover/failover-harness.js';
import { inventory } from './fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from './render-app.js';
import { snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

const DECL: ServiceDecl = { kind: 'haproxy', key: 'lb1', candidates: ['lb1'] };
let dir = '';
let haproxy: ChildProcess | undefined;
let transport: LocalTransport;
let m: Mounted | undefined;

const config = (socket: string) => `global
  stats socket ${socket} mode 600 level admin
defaults
  mode tcp
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.6.1:18606
  default_backend app
backend app
  server web1 127.0.6.11:18606 weight 100
  server web2 127.0.6.12:18606 weight 50
`;

const host = () => localHost('lb1', { haproxy: { socket: join(dir, 'lb1.sock') } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-weight-ui-'));
  writeFileSync(join(dir, 'lb1.cfg'), config(join(dir, 'lb1.sock')));
  haproxy = spawn('haproxy', ['-db', '-f', join(dir, 'lb1.cfg')], { stdio: 'ignore' });
  await waitFor(() => existsSync(join(dir, 'lb1.sock')), 10_000, 'the admin socket');
  transport = new LocalTransport('lb1', { commandTimeoutMs: 10_000 });
  await transport.connect();
});

afterEach(() => {
  cleanup();
  m?.unmount();
});

afterAll(async () => {
  haproxy?.kill('SIGKILL');
  await transport?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The console on the HA view, the HAProxy pane focused, its cursor on app/web2. */
async function onWeb2(): Promise<Mounted> {
  const inv = inventory([host()]);
  const store = createBatonStore(inv, { services: [DECL] });
  const r = parseHaproxyProbe((await transport.exec(haproxyProbeCommand(host().roles.haproxy!), { timeoutMs: 10_000 })).stdout);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  store.getState().applyServiceUpdates([snapshotUpdate(DECL, r.snapshot, Date.now())], []);
  const transports = new Map([['lb1', transport]]);
  const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
  m = mount(store, { viewName: 'ha', actions: service, clock: Date.now, size: { columns: 160, rows: 45 } });
  for (let i = 0; i < 6 && !/d drain/.test(screen(m)); i++) await press(m, KEYS.tab);
  const cursor = () => m!.app.ui.getState().cursors.haproxy?.id ?? '';
  for (let i = 0; i < 40 && !cursor().includes('server:app/web2'); i++) await press(m, 'j');
  expect(cursor()).toContain('server:app/web2');
  return m;
}

const footer = (c: Mounted) => screen(c).split('\n').at(-1) ?? '';

describe('haproxy weight keys', () => {
  test('the key line names w weight and the steps; ? lists each', async () => {
    const c = await onWeb2();
    expect(screen(c)).toMatch(/w weight {2}\[\/\] -1\/\+1 {2}\{\/\} -10\/\+10 {2}= conf\. weight/);
    await press(c, '?');
    expect(screen(c)).toMatch(/\{\s+haproxy\.weight -10/);
    expect(screen(c)).toMatch(/=\s+haproxy\.weight conf/);
  });

  test('w: the prompt shows the weight now; a bad text stays in the prompt with why; Esc cancels', async () => {
    const c = await onWeb2();
    await press(c, 'w');
    expect(footer(c)).toMatch(/^weight app\/web2 \(now 50\): /);
    await press(c, ...'half', KEYS.enter);
    expect(footer(c)).toContain('weight "half" is none of N');
    await press(c, KEYS.escape);
    expect(footer(c)).toContain('cancelled: nothing ran');
  });

  test('w 80% plans the weight from the configured one into the confirm dialog', async () => {
    const c = await onWeb2();
    await press(c, 'w', ...'80%', KEYS.enter);
    await waitFor(() => /Confirm haproxy\.weight/.test(screen(c)), 20_000, 'the confirm dialog');
    expect(screen(c)).toContain('haproxy weight 80% of the configured weight app/web2 on lb1');
    expect(screen(c)).toContain('lb1 app/web2: weight: 50 (configured 50) -> 40');
    await press(c, KEYS.escape);
  });

  test.each([
    ['{', '40'],
    [']', '51'],
    ['=', '50'],
  ])('%s plans the step into the confirm dialog', async (key, after) => {
    const c = await onWeb2();
    await press(c, key);
    await waitFor(() => /Confirm haproxy\.weight/.test(screen(c)), 20_000, 'the confirm dialog');
    expect(screen(c)).toMatch(new RegExp(`lb1 app/web2: weight: 50 \\(configured 50\\) -> ${after}\\s`));
    await press(c, KEYS.escape);
  });
});
