// HA services against the real lab: faults injected with the real tools
// show in the store within one poll interval plus 1 s, and the HA view,
// mounted with ink-testing-library on the live store, shows them too.
// (Queues and NGINX: traffic-lab.test.ts.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mounted } from '../ui/render-app.js';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import type { Session } from '../../src/cli/session.js';
import type { HaproxySnapshot } from '../../src/probes/haproxy.js';
import type { PacemakerSnapshot } from '../../src/probes/pacemaker.js';
import type { EtcdSnapshot } from '../../src/probes/etcd.js';
import { serviceId } from '../../src/store/services.js';
import type { TestLab } from '../helpers/lab.js';
import { startLabSession, type LabSession } from '../helpers/lab-session.js';
import { waitFor } from '../helpers/wait-for.js';
import { mountLive, waitForScreen } from './live-screen.js';

const INTERVAL_S = 1;
/** From a fault to the store; the screen then follows within a render. */
const BUDGET_MS = INTERVAL_S * 1000 + 1000;
let running: LabSession | undefined;
let lab: TestLab;
let session: Session;
let ha: Mounted;

beforeAll(async () => {
  running = await startLabSession(INTERVAL_S);
  ({ lab, session } = running);
  ha = mountLive(session.store, 'ha', INTERVAL_S * 1000);
}, 60_000);
afterAll(async () => {
  ha?.unmount();
  await running?.stop();
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
    await waitFor(() => server('web2')?.state === 'maint', BUDGET_MS, 'web2 MAINT in the store');
    expect(Date.now() - injected).toBeLessThanOrEqual(BUDGET_MS);
    await waitForScreen(ha, /web2\s+MAINT/, 2000, 'web2 MAINT on the HAProxy pane');
    expect(session.store.getState().events.some((e) => e.source === 'haproxy' && /web\/web2 UP -> MAINT/.test(e.message))).toBe(true);
    socat('set server web/web2 state ready');
    await waitFor(() => server('web2')?.state === 'up', 5000, 'web2 ready again');
    await waitForScreen(ha, /web2\s+UP/, 3000, 'web2 UP on the HAProxy pane');
  });

  it('alerts on a server DOWN after the app fails, and --once JSON carries the section', async () => {
    expect(lab.baton('fail', 'app:web3').code).toBe(0);
    await waitFor(() => server('web3')?.state === 'down', 10_000, 'web3 DOWN');
    await waitFor(() => haproxy()?.alerts.some((a) => /web\/web3 is DOWN/.test(a.message)), 3000, 'DOWN alert');
    const pane = await waitForScreen(ha, /web3\s+DOWN/, 3000, 'web3 DOWN on the HAProxy pane');
    expect(pane).toContain('▲ web/web3 is DOWN');
    const snap = buildSnapshot(session.store.getState(), Date.now());
    expect(snap.haproxy.map((h) => h.key)).toEqual(['lb1', 'lb2']); // the active LB and its standby
    expect(snap.haproxy[0]).toMatchObject({ key: 'lb1', answeredBy: 'lb1', error: null });
    expect(snap.haproxy[0]!.ageSeconds).toBeLessThan(3);
    expect(lab.baton('heal', 'app:web3').code).toBe(0);
    await waitFor(() => server('web3')?.state === 'up', 10_000, 'web3 UP again');
    await waitForScreen(ha, /web3\s+UP/, 3000, 'web3 UP on the HAProxy pane');
  });
});

const cluster = () => session.store.getState().services[serviceId('pacemaker', 'baton-lab')];
const pcmkNode = (name: string) => (cluster()?.snapshot as PacemakerSnapshot | undefined)?.nodes.find((n) => n.name === name);
const etcd = () => session.store.getState().services[serviceId('etcd', 'etcd')];
const etcdSnap = () => etcd()?.snapshot as EtcdSnapshot | undefined;

describe('Pacemaker through a cluster node', () => {
  it('shows the three nodes online, answered by a node over SSH with CIB_file', async () => {
    await waitFor(() => ['node1', 'node2', 'node3'].every((n) => pcmkNode(n)?.state === 'online'), 10_000, 'nodes online');
    expect(cluster()?.answeredBy).toMatch(/^web[123]$/);
  });

  it('shows a failed node offline within one interval plus 1 s, with an event and an alert', async () => {
    expect(lab.baton('fail', 'pacemaker:node2').code).toBe(0);
    const injected = Date.now();
    await waitFor(() => pcmkNode('node2')?.state === 'offline', BUDGET_MS, 'node2 offline in the store');
    expect(Date.now() - injected).toBeLessThanOrEqual(BUDGET_MS);
    await waitForScreen(ha, /node2(?: \(DC\))?\s+offline/, 2000, 'node2 offline on the Pacemaker pane');
    expect(cluster()?.alerts.some((a) => a.severity === 'crit' && /node2/.test(a.message))).toBe(true);
    expect(session.store.getState().events.some((e) => e.source === 'pacemaker' && /node2/.test(e.message))).toBe(true);
    expect(lab.baton('heal', 'pacemaker:node2').code).toBe(0);
    await waitFor(() => pcmkNode('node2')?.state === 'online', 5000, 'node2 back online');
    await waitForScreen(ha, /node2(?: \(DC\))?\s+online/, 3000, 'node2 online on the Pacemaker pane');
  });
});

describe('etcd through a member', () => {
  it('shows three healthy members and one leader', async () => {
    await waitFor(() => etcdSnap()?.members.filter((m) => m.healthy).length === 3, 10_000, 'three healthy members');
    expect(etcdSnap()!.members.filter((m) => m.leader)).toHaveLength(1);
  });

  it('shows the leader down within one interval plus 1 s, and the new leader within that of the election', async () => {
    const oldLeader = etcdSnap()!.members.find((m) => m.leader)!.name;
    expect(lab.baton('fail', 'etcd:leader').code).toBe(0);
    const injected = Date.now();
    // The killed member refuses connections: no waiting for etcdctl's deadline or the election.
    await waitFor(() => etcdSnap()?.members.find((m) => m.name === oldLeader)?.up === false, BUDGET_MS, 'the old leader down');
    expect(Date.now() - injected).toBeLessThanOrEqual(BUDGET_MS);
    const downEvent = session.store.getState().events.find((e) => e.source === 'etcd' && e.message.includes(`member ${oldLeader} `) && e.message.endsWith('went down'));
    // The event is about the member's host, whichever member answered.
    const endpoint = etcdSnap()!.members.find((m) => m.name === oldLeader)!.endpoint;
    expect(['db1', 'mq1', 'lb1']).toContain(downEvent?.hostId);
    expect(downEvent?.hostId).toBe(session.inventory.hosts.find((h) => h.roles.etcd?.endpoint === endpoint)?.id);
    await waitFor(() => {
      const s = etcdSnap();
      const leader = s?.members.find((m) => m.leader);
      return leader !== undefined && leader.name !== oldLeader && s?.members.find((m) => m.name === oldLeader)?.up === false;
    }, BUDGET_MS + 2000, 'new leader and the old one down');
    expect(Date.now() - injected).toBeLessThanOrEqual(BUDGET_MS + 2000);
    const newLeader = etcdSnap()!.members.find((m) => m.leader)!.name;
    const pane = await waitForScreen(ha, new RegExp(`leader ${newLeader} term \\d+`), 2000, `leader ${newLeader} on the etcd pane`);
    expect(pane).toMatch(new RegExp(`${oldLeader}\\s+DOWN`));
    expect(pane).toMatch(new RegExp(`★ ${newLeader}\\s+ok`));
    expect(session.store.getState().events.some((e) => e.source === 'etcd' && /leader/i.test(e.message))).toBe(true);
    expect(lab.baton('heal', 'etcd:leader').code).toBe(0);
    await waitFor(() => etcdSnap()?.members.filter((m) => m.healthy).length === 3, 10_000, 'three healthy members again');
  });
});
