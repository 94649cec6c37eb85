// Service polling against the real lab: faults injected with the real tools
// show in the store within one poll interval plus 1 s.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { openSession, type Session } from '../../src/cli/session.js';
import type { HaproxySnapshot } from '../../src/probes/haproxy.js';
import { serviceId } from '../../src/store/services.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';

const INTERVAL_S = 1;
let lab: TestLab;
let session: Session;

beforeAll(async () => {
  lab = await startTestLab();
  session = await openSession(sessionOptions({ inventory: lab.files.inventory, interval: INTERVAL_S }));
  session.monitor.start();
}, 60_000);
afterAll(async () => {
  await session?.monitor.stop();
  await lab?.down();
});

const haproxy = () => session.store.getState().services[serviceId('haproxy', 'lb1')];
const server = (name: string) => (haproxy()?.snapshot as HaproxySnapshot | undefined)?.backends.find((b) => b.name === 'web')?.servers.find((s) => s.name === name);
const adminSocket = () => join(lab.dir, 'haproxy', 'admin.sock');
const socat = (command: string) => execFileSync('socat', ['stdio', `UNIX-CONNECT:${adminSocket()}`], { input: `${command}\n`, encoding: 'utf8' });

describe('HAProxy through the lab LB host', () => {
  it('shows every web server UP, reached over SSH through the admin socket', async () => {
    await waitFor(() => server('web1')?.state === 'up' && server('web3')?.state === 'up', 15_000, 'web servers UP');
    expect(haproxy()).toMatchObject({ answeredBy: 'lb1', via: expect.stringMatching(/unix socket/) });
    expect(haproxy()?.alerts).toEqual([]);
  });

  it('shows a server put in MAINT with the real socket within one interval plus 1 s, with an event', async () => {
    socat('set server web/web2 state maint');
    const injected = Date.now();
    await waitFor(() => server('web2')?.state === 'maint', INTERVAL_S * 1000 + 1000, 'web2 MAINT in the store');
    const latency = Date.now() - injected;
    expect(latency).toBeLessThanOrEqual(INTERVAL_S * 1000 + 1000);
    expect(session.store.getState().events.some((e) => e.source === 'haproxy' && /web\/web2 UP -> MAINT/.test(e.message))).toBe(true);
    socat('set server web/web2 state ready');
    await waitFor(() => server('web2')?.state === 'up', 5000, 'web2 ready again');
  });

  it('alerts on a server DOWN after the app fails, and --once JSON carries the section', async () => {
    expect(lab.baton('fail', 'app:web3').code).toBe(0);
    await waitFor(() => server('web3')?.state === 'down', 10_000, 'web3 DOWN');
    await waitFor(() => haproxy()?.alerts.some((a) => /web\/web3 is DOWN/.test(a.message)), 3000, 'DOWN alert');
    const snap = buildSnapshot(session.store.getState(), Date.now());
    expect(snap.haproxy).toHaveLength(1);
    expect(snap.haproxy[0]).toMatchObject({ key: 'lb1', answeredBy: 'lb1', error: null });
    expect(snap.haproxy[0]!.ageSeconds).toBeLessThan(3);
    expect(lab.baton('heal', 'app:web3').code).toBe(0);
    await waitFor(() => server('web3')?.state === 'up', 10_000, 'web3 UP again');
  });
});
