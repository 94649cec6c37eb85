// The queue lever's RabbitMQ half: what rabbitmqctl 3.10.8 printed on the
// lab's mq1 (test/fixtures/queues/rabbitmq/rebalance/capture.sh: one node,
// two classic queues and a quorum queue) and on a real two-node cluster
// (rebalance-cluster/capture.sh: node 1 leads 6 quorum queues it is the only
// member of, 4 with a member on both nodes and 2 streams, before and after
// `rabbitmq-queues rebalance all`), framed as the read
// command frames it; a single-node broker is skipped; the even-spread
// prediction over random multi-node counts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { planQueueLever } from '../../../src/ops/rebalance/queue-lever.js';
import { judgeLeaders, leaderReadCommand, parseLeaderRead, planLeaderSpread, rebalanceLeadersCommand, SINGLE_NODE, type LeaderRead } from '../../../src/ops/rebalance/rabbit-spread.js';

const fixture = (name: string, dir = 'rebalance') => readFileSync(join(import.meta.dirname, '../../fixtures/queues/rabbitmq', dir, name), 'utf8');
const framed = (cluster: string, clusterRc: number, leaders = '', leadersRc = 0) =>
  `@@baton:format json\n@@baton:cmd cluster\n${cluster}\n@@baton:rc ${clusterRc}\n@@baton:cmd leaders\n${leaders}\n@@baton:rc ${leadersRc}\n@@baton:end\n`;

const read = (cluster: string, leaders: string): LeaderRead => {
  const r = parseLeaderRead(framed(cluster, 0, leaders));
  if ('error' in r) throw new Error(r.error);
  return r;
};
const lab = (): LeaderRead => read(fixture('cluster-status.json'), fixture('list-queues-leader.json'));
const cluster = (when: 'before' | 'after'): LeaderRead => read(fixture('cluster-status.json', 'rebalance-cluster'), fixture(`list-queues-leader-${when}.json`, 'rebalance-cluster'));
const [NODE1, NODE2] = ['rabbit1@127.0.26.1', 'rabbit2@127.0.26.2'];

describe('queue lever, RabbitMQ: the read', () => {
  it('running nodes from cluster_status, leaders per node from list_queues (classic queues have none)', () => {
    expect(lab()).toEqual({ runningNodes: ['rabbit@127.0.3.5'], leaders: { 'rabbit@127.0.3.5': 1 }, streams: {}, pinned: { 'rabbit@127.0.3.5': 1 } });
  });

  it('a real two-node cluster: both running nodes; quorum leaders apart from stream leaders, and those with no other member (rebalance moves neither)', () => {
    expect(cluster('before')).toEqual({ runningNodes: [NODE2, NODE1], leaders: { [NODE1]: 10 }, streams: { [NODE1]: 2 }, pinned: { [NODE1]: 6 } });
    expect(cluster('after')).toEqual({ runningNodes: [NODE2, NODE1], leaders: { [NODE1]: 6, [NODE2]: 4 }, streams: { [NODE1]: 2 }, pinned: { [NODE1]: 6 } });
  });

  it('a node that does not answer is the error, in rabbitmqctl\'s words; bad JSON never throws', () => {
    const down = fixture('cluster-status-nodedown.txt').replace(/\nrc 69\n?$/, '');
    expect(parseLeaderRead(framed(down, 69))).toEqual({ error: "rabbitmqctl cluster_status: Error: unable to perform an operation on node 'rabbit@127.0.3.250'. Please see diagnostics information and suggestions below." });
    expect(parseLeaderRead(framed('{"running_nodes":', 0))).toMatchObject({ error: expect.stringMatching(/unreadable JSON/) });
    expect(parseLeaderRead(framed('{"alarms":[]}', 0))).toEqual({ error: 'rabbitmqctl cluster_status: no running_nodes list' });
    expect(parseLeaderRead('@@baton:format json\n@@baton:cmd cluster\n')).toEqual({ error: 'rabbitmqctl cluster_status: exited early' });
  });

  it('commands: the configured rabbitmqctl and rabbitmq-queues beside it, every value quoted', () => {
    const role = { rabbitmqctl: '/usr/lib/rabbitmq/bin/rabbitmqctl', node: 'rabbit@127.0.3.5', vhost: "v'h $(x)", sudo: true };
    expect(leaderReadCommand(role)).toContain('sudo -n /usr/lib/rabbitmq/bin/rabbitmqctl -q -n rabbit\\@127.0.3.5 -t 8 list_queues -p "v\'h \\$(x)" name type leader members --formatter json');
    expect(rebalanceLeadersCommand(role)).toBe('sudo -n /usr/lib/rabbitmq/bin/rabbitmq-queues -q -n rabbit\\@127.0.3.5 -t 8 rebalance all --formatter json </dev/null');
    expect(rebalanceLeadersCommand({})).toBe('rabbitmq-queues -q -t 8 rebalance all --formatter json </dev/null');
  });
});

describe('queue lever, RabbitMQ: the plan', () => {
  const inventory = { name: 't', format: 'baton', groups: {}, hosts: [{ id: 'mq1', roles: { rabbitmq: {} } }] } as unknown as Inventory;

  it('one running node (the lab): skipped, "single-node broker: nothing to spread"', () => {
    expect(planLeaderSpread('mq1', lab())).toBe(SINGLE_NODE);
    expect(planQueueLever(inventory, { redis: [], rabbitmq: [{ hostId: 'mq1', read: lab() }] }, 60_000, 15_000)).toBe('mq1 rabbitmq: single-node broker: nothing to spread');
  });

  it('the real cluster: quorum leaders 10/0 -> 6/4 planned (the 6 single-member queues stay), the streams named as staying; the leaders after rebalance are as planned', () => {
    const lever = planQueueLever(inventory, { redis: [], rabbitmq: [{ hostId: 'mq1', read: cluster('before') }] }, 60_000, 15_000);
    if (typeof lever === 'string') throw new Error(lever);
    expect(lever.leaders).toEqual([
      { broker: 'mq1', node: NODE1, before: 10, after: 6 },
      { broker: 'mq1', node: NODE2, before: 0, after: 4 },
    ]);
    expect(lever.preconditions).toContainEqual({ what: 'queues: stream leaders stay', ok: true, detail: `mq1: rabbitmq-queues rebalance moves quorum (and mirrored classic) queue leaders, not streams: ${NODE1} leads 2 streams` });
    expect(judgeLeaders(lever.leaders, cluster('after'))).toEqual({ ok: true, text: `leaders ${NODE1} 10 → 6 (planned 6), ${NODE2} 0 → 4 (planned 4)` });
    // Nothing moved is not a success.
    expect(judgeLeaders(lever.leaders, cluster('before')).ok).toBe(false);
    expect(planLeaderSpread('mq1', cluster('after'))).toBe(`queue leaders cannot spread further (${NODE1} 6, ${NODE2} 4): 6 quorum queues have no member on another running node (rabbitmq-queues grow adds members)`);
    // Their member on a node that is down does not make them movable either.
    const down = read(fixture('cluster-status.json', 'rebalance-cluster').replace(`"running_nodes":["${NODE2}",`, '"running_nodes":['), fixture('list-queues-leader-before.json', 'rebalance-cluster'));
    expect(down).toMatchObject({ runningNodes: [NODE1], pinned: { [NODE1]: 10 } });
  });

  it('several nodes: leaders per node before -> an even count, one rabbitmq-queues rebalance step, locked per broker', () => {
    const counts: LeaderRead = { runningNodes: ['rabbit@a', 'rabbit@b', 'rabbit@c'], leaders: { 'rabbit@a': 5, 'rabbit@b': 1 }, streams: {}, pinned: {} };
    const lever = planQueueLever(inventory, { redis: [], rabbitmq: [{ hostId: 'mq1', read: counts }] }, 60_000, 15_000);
    if (typeof lever === 'string') throw new Error(lever);
    expect(lever.leaders).toEqual([
      { broker: 'mq1', node: 'rabbit@a', before: 5, after: 2 },
      { broker: 'mq1', node: 'rabbit@b', before: 1, after: 2 },
      { broker: 'mq1', node: 'rabbit@c', before: 0, after: 2 },
    ]);
    expect(lever.steps.map((s) => [s.hostId, s.label])).toEqual([['mq1', 'rabbitmq-queues rebalance all: leaders rabbit@a 5→2, rabbit@b 1→2, rabbit@c 0→2']]);
    expect(lever.locks).toEqual(['rabbitmq:mq1']);
    expect(judgeLeaders(lever.leaders, { ...counts, leaders: { 'rabbit@a': 2, 'rabbit@b': 2, 'rabbit@c': 2 } })).toEqual({ ok: true, text: 'leaders rabbit@a 5 → 2 (planned 2), rabbit@b 1 → 2 (planned 2), rabbit@c 0 → 2 (planned 2)' });
    expect(judgeLeaders(lever.leaders, { ...counts, leaders: { 'rabbit@a': 6 } }).ok).toBe(false);
    expect(planLeaderSpread('mq1', { runningNodes: ['rabbit@a', 'rabbit@b'], leaders: { 'rabbit@a': 2, 'rabbit@b': 1 }, streams: {}, pinned: {} })).toMatch(/^queue leaders already spread over 2 nodes/);
  });

  it('the prediction keeps the count and the leaders that cannot move; the rest differ by at most one between nodes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { minLength: 2, maxLength: 7 }), (nodes) => {
        const runningNodes = nodes.map((_, i) => `rabbit@n${i}`);
        const pinned = Object.fromEntries(nodes.map(([c, p], i) => [runningNodes[i]!, Math.min(c, p)]));
        const r = planLeaderSpread('b', { runningNodes, leaders: Object.fromEntries(nodes.map(([c], i) => [runningNodes[i]!, c])), streams: {}, pinned });
        if (typeof r === 'string') return;
        const counts = nodes.map(([c]) => c);
        expect(r.reduce((a, c) => a + c.after, 0)).toBe(counts.reduce((a, b) => a + b, 0));
        for (const c of r) expect(c.after).toBeGreaterThanOrEqual(pinned[c.node]!);
        // A node above the others' level holds only what cannot move.
        const free = r.filter((c) => c.after > pinned[c.node]! || c.after === 0).map((c) => c.after);
        if (free.length > 0) for (const c of r) if (c.after > Math.max(...free) + 1) expect(c.after).toBe(pinned[c.node]);
      }),
      { numRuns: 300 },
    );
  });

  it('with every leader movable: an even count, at most one apart, moving as few as it can', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 2, maxLength: 7 }), (counts) => {
        const runningNodes = counts.map((_, i) => `rabbit@n${i}`);
        const r = planLeaderSpread('b', { runningNodes, leaders: Object.fromEntries(counts.map((c, i) => [runningNodes[i]!, c])), streams: {}, pinned: {} });
        if (typeof r === 'string') {
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          return;
        }
        const after = r.map((c) => c.after);
        expect(after.reduce((a, b) => a + b, 0)).toBe(counts.reduce((a, b) => a + b, 0));
        expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(1);
        // The extra leaders stay where the most were.
        const top = Math.max(...after);
        for (const c of r) for (const d of r) if (c.after === top && d.after < top) expect(c.before).toBeGreaterThanOrEqual(d.before);
      }),
      { numRuns: 300 },
    );
  });
});
