// Service polling against the real lab: faults injected with the real tools
// show in the store within one poll interval plus 1 s.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { openSession, type Session } from '../../src/cli/session.js';
import type { HaproxySnapshot } from '../../src/probes/haproxy.js';
import type { QueueServiceSnapshot } from '../../src/probes/queues/queue-service.js';
import type { PacemakerSnapshot } from '../../src/probes/pacemaker.js';
import type { EtcdSnapshot } from '../../src/probes/etcd.js';
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

const broker = () => session.store.getState().services[serviceId('queues', 'mq1')];
const queue = (name: string) => (broker()?.snapshot as QueueServiceSnapshot | undefined)?.queues.find((q) => q.name === name);

describe('queues on the lab broker', () => {
  it('shows the stream and list with consumers, rates and a small depth', async () => {
    await waitFor(() => queue('orders')?.inRate != null && queue('jobs') !== undefined, 10_000, 'queues with rates');
    expect(broker()?.answeredBy).toBe('mq1');
    expect(queue('orders')).toMatchObject({ kind: 'stream', consumers: 2 });
    expect(queue('orders')!.inRate!).toBeGreaterThan(5);
    expect(queue('jobs')!.depth!).toBeLessThan(100);
  });

  it('fires a growth alert when the consumers stop, and the trend turns when they come back', async () => {
    expect(lab.baton('fail', 'queue:consumers').code).toBe(0);
    const before = queue('jobs')!.depth!;
    await waitFor(() => (queue('jobs')?.depth ?? 0) > before + 40, 6000, 'jobs backlog growing');
    await waitFor(() => broker()?.alerts.some((a) => /^jobs: grew for/.test(a.message)), 12_000, 'growth alert on jobs');
    expect(queue('jobs')!.drain).toBe('growing');
    expect(session.store.getState().events.some((e) => e.source === 'queues' && /jobs/.test(e.message))).toBe(true);
    const snap = buildSnapshot(session.store.getState(), Date.now());
    expect(snap.queues.find((q) => q.name === 'jobs')).toMatchObject({ broker: 'redis', host: 'mq1', drain: 'growing', alerts: [expect.objectContaining({ severity: expect.any(String) })] });
    expect(lab.baton('heal', 'queue:consumers').code).toBe(0);
    await waitFor(() => queue('jobs')?.drain === 'draining' || queue('jobs')?.drain === 'empty', 15_000, 'jobs draining');
    expect(queue('jobs')!.trend!).toBeLessThan(0);
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
    await waitFor(() => pcmkNode('node2')?.state === 'offline', INTERVAL_S * 1000 + 1000, 'node2 offline in the store');
    expect(Date.now() - injected).toBeLessThanOrEqual(INTERVAL_S * 1000 + 1000);
    expect(cluster()?.alerts.some((a) => a.severity === 'crit' && /node2/.test(a.message))).toBe(true);
    expect(session.store.getState().events.some((e) => e.source === 'pacemaker' && /node2/.test(e.message))).toBe(true);
    expect(lab.baton('heal', 'pacemaker:node2').code).toBe(0);
    await waitFor(() => pcmkNode('node2')?.state === 'online', 5000, 'node2 back online');
  });
});

describe('etcd through a member', () => {
  it('shows three healthy members and one leader', async () => {
    await waitFor(() => etcdSnap()?.members.filter((m) => m.healthy).length === 3, 10_000, 'three healthy members');
    expect(etcdSnap()!.members.filter((m) => m.leader)).toHaveLength(1);
  });

  it('shows the leader down and a new leader within one interval plus 1 s of the new election', async () => {
    const oldLeader = etcdSnap()!.members.find((m) => m.leader)!.name;
    expect(lab.baton('fail', 'etcd:leader').code).toBe(0);
    const injected = Date.now();
    await waitFor(() => {
      const s = etcdSnap();
      const leader = s?.members.find((m) => m.leader);
      return leader !== undefined && leader.name !== oldLeader && s?.members.find((m) => m.name === oldLeader)?.healthy === false;
    }, INTERVAL_S * 1000 + 1000 + 2000, 'new leader and the old one down');
    expect(Date.now() - injected).toBeLessThanOrEqual(INTERVAL_S * 1000 + 1000 + 2000);
    expect(session.store.getState().events.some((e) => e.source === 'etcd' && /leader/i.test(e.message))).toBe(true);
    expect(lab.baton('heal', 'etcd:leader').code).toBe(0);
    await waitFor(() => etcdSnap()?.members.filter((m) => m.healthy).length === 3, 10_000, 'three healthy members again');
  });
});
