// The etcd actions against a real 3-member etcd 3.4 on 127.0.36.x, each
// member an inventory host reached through a real LocalTransport, run through
// the engine with the lock-dir backend and a journal: the probe's
// `endpoint status` afterwards is the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../../src/ops/engine/execute.js';
import { confirmLevel, type Plan } from '../../../src/ops/engine/plan.js';
import type { Refusal } from '../../../src/ops/engine/registry.js';
import { etcdActions } from '../../../src/ops/failover/etcd/etcd-actions.js';
import { observeEtcd } from '../../../src/ops/failover/etcd/etcd-observe.js';
import type { EtcdSnapshot } from '../../../src/probes/etcd.js';
import { harness, localHost, type Harness } from './failover-harness.js';

const [moveLeader, defrag, alarmDisarm] = etcdActions as [(typeof etcdActions)[0], (typeof etcdActions)[0], (typeof etcdActions)[0]];
const NAMES = ['m1', 'm2', 'm3'];
const address = (i: number) => `127.0.36.${i + 1}`;
const client = (i: number) => `http://${address(i)}:23790`;
const peer = (i: number) => `http://${address(i)}:23800`;
let h: Harness;
const members: ChildProcess[] = [];

async function snapshot(): Promise<EtcdSnapshot> {
  const facts = await observeEtcd(h.live);
  if ('error' in facts) throw new Error(facts.error);
  return facts.snapshot;
}

const leaderName = async () => (await snapshot()).members.find((m) => m.leader)?.name;

function done(r: ActionResult | Refusal): ActionResult {
  if ('refused' in r) throw new Error(`refused: ${r.reason}`);
  return r;
}

beforeAll(async () => {
  h = harness(NAMES.map((_, i) => localHost(`e${i + 1}`, { etcd: { endpoint: client(i) } })));
  const cluster = NAMES.map((n, i) => `${n}=${peer(i)}`).join(',');
  for (const [i, name] of NAMES.entries()) {
    const args = ['--name', name, '--data-dir', join(h.dir, name), '--listen-client-urls', client(i), '--advertise-client-urls', client(i), '--listen-peer-urls', peer(i), '--initial-advertise-peer-urls', peer(i), '--initial-cluster', cluster, '--initial-cluster-state', 'new', '--heartbeat-interval', '50', '--election-timeout', '500'];
    members.push(spawn('etcd', args, { stdio: 'ignore' }));
  }
  const deadline = Date.now() + 20_000;
  while (!(await leaderName().catch(() => undefined)) || (await snapshot()).members.some((m) => m.up !== true)) {
    if (Date.now() > deadline) throw new Error('the etcd cluster did not elect a leader');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 30_000);

afterAll(async () => {
  for (const m of members) m.kill('SIGKILL');
  await h?.close();
});

describe('etcd.move-leader', () => {
  it('hands the lead to each follower in turn; endpoint status agrees', async () => {
    const first = (await leaderName())!;
    const followers = NAMES.filter((n) => n !== first);
    for (const target of followers) {
      const r = done(await h.act(moveLeader, [target]));
      expect(r.state, r.verify.detail).toBe('ok');
      expect(r.plan.locks).toEqual(['etcd:etcd:cluster', `etcd:etcd:member:${target}`]);
      expect(r.verify.detail).toMatch(new RegExp(`^${target} leads \\(term \\d+\\)`));
      expect(await leaderName()).toBe(target);
    }
  });

  it('refuses the member that already leads, and one that does not exist (listing those that do)', async () => {
    const leader = (await leaderName())!;
    expect(((await h.plan(moveLeader, [leader])) as Refusal).reason).toBe(`${leader} already leads`);
    expect(((await h.plan(moveLeader, ['m9'])) as Refusal).reason).toMatch(/^no etcd member "m9"; members: m1 \([0-9a-f]+\), m2 \([0-9a-f]+\), m3 \([0-9a-f]+\)$/);
  });
});

describe('etcd.defrag and alarm-disarm', () => {
  it('defragments a follower; on the leader the plan needs a typed confirmation', async () => {
    const leader = (await leaderName())!;
    const follower = NAMES.find((n) => n !== leader)!;
    const r = done(await h.act(defrag, [follower]));
    expect(r.state, r.verify.detail).toBe('ok');
    expect(r.verify.detail).toMatch(new RegExp(`^${follower} answers; db size [\\d.]+ MiB -> [\\d.]+ MiB`));
    const onLeader = (await h.plan(defrag, [leader])) as Plan;
    expect(onLeader.risk.reasons[0]).toMatch(new RegExp(`^${leader} is the leader`));
    expect(confirmLevel(onLeader)).toBe('typed');
  });

  it('refuses to disarm when no alarm is raised', async () => {
    expect(((await h.plan(alarmDisarm, [])) as Refusal).reason).toBe('no etcd alarm is raised');
  });
});

describe('a killed member', () => {
  it('is refused as the new leader, and defrag refuses it too', async () => {
    const leader = (await leaderName())!;
    const victim = NAMES.findIndex((n) => n !== leader);
    members[victim]!.kill('SIGKILL');
    await new Promise((r) => members[victim]!.once('exit', r));
    const r = (await h.plan(moveLeader, [NAMES[victim]!])) as Refusal;
    expect(r.refused).toBe(true);
    expect(r.reason).toMatch(new RegExp(`^${NAMES[victim]} is down: `));
    expect(((await h.plan(defrag, [NAMES[victim]!])) as Refusal).reason).toMatch(/is down/);
  });
});
