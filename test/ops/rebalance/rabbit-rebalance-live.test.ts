// The queue lever's RabbitMQ half against a real two-node RabbitMQ cluster
// (rabbit-cluster.ts: rabbit1@127.0.26.1 + rabbit2@127.0.26.2, Debian's
// rabbitmq-server). Node 1 leads everything: six quorum queues declared
// before node 2 joined (node 1 their only member: they cannot move), then
// four quorum queues and two streams with the client-local leader locator
// (members on both). Through the engine (the broker host is local,
// rabbitmqctl run by /bin/sh as on a broker host), the plan shows quorum
// leaders 10/0 -> 6/4 (the six stay, the four move) and that the stream
// leaders stay, the step runs `rabbitmq-queues rebalance all`, verify
// re-reads the leaders. BATON_CAPTURE_RABBIT_CLUSTER=1 (capture.sh beside
// the fixtures) writes what rabbitmqctl printed to
// test/fixtures/queues/rabbitmq/rebalance-cluster.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { rebalanceAction } from '../../../src/ops/rebalance/rebalance-action.js';
import type { RebalancePlanArgs } from '../../../src/ops/rebalance/rebalance-plan.js';
import type { HostMetrics } from '../../../src/probes/host-metrics.js';
import { harness, localHost } from '../failover/failover-harness.js';
import { CLUSTER_NODES, RABBITMQ_QUEUES, RABBITMQCTL, rabbitmqAvailable, startRabbitCluster, type RabbitCluster } from './rabbit-cluster.js';

const [NODE1, NODE2] = CLUSTER_NODES;
const QUORUM = ['orders.1', 'orders.2', 'orders.3', 'orders.4'];
const STREAMS = ['events.1', 'events.2'];
const SOLO = ['solo.1', 'solo.2', 'solo.3', 'solo.4', 'solo.5', 'solo.6'];
const FIXTURES = join(import.meta.dirname, '../../fixtures/queues/rabbitmq/rebalance-cluster');
const capture = process.env.BATON_CAPTURE_RABBIT_CLUSTER === '1';

const queue = (name: string, type: string) => ({ name, vhost: '/', durable: true, auto_delete: false, arguments: { 'x-queue-type': type, 'x-queue-leader-locator': 'client-local' } });

let cluster: RabbitCluster;
const envBefore = process.env.RABBITMQ_CONF_ENV_FILE;

/** Leader per queue name, as list_queues has it now. */
function leadersNow(): Record<string, string> {
  const rows = JSON.parse(cluster.ctl(NODE1, ['-t', '20', 'list_queues', '-p', '/', 'name', 'type', 'leader', '--formatter', 'json'])) as { name: string; leader: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.leader]));
}
const count = (leaders: Record<string, string>, names: string[], node: string) => names.filter((n) => leaders[n] === node).length;

beforeAll(async () => {
  // Not skipped: test/install-deps.sh installs rabbitmq-server (not running) on CI.
  if (!rabbitmqAvailable()) throw new Error(`RabbitMQ is not installed here (${RABBITMQCTL} or epmd missing): run test/install-deps.sh`);
  const declare = (c: Pick<RabbitCluster, 'dir' | 'ctl'>, file: string, queues: object[]) => {
    writeFileSync(join(c.dir, file), JSON.stringify({ queues }));
    c.ctl(NODE1, ['import_definitions', join(c.dir, file)]);
  };
  cluster = await startRabbitCluster((alone) => declare(alone, 'solo.json', SOLO.map((q) => queue(q, 'quorum'))));
  declare(cluster, 'queues.json', [...QUORUM.map((q) => queue(q, 'quorum')), ...STREAMS.map((q) => queue(q, 'stream')), { name: 'scratch', vhost: '/', durable: true, auto_delete: false, arguments: {} }]);
  // The broker host's login session: the CLI scripts source this file (cookie, epmd port, longnames).
  process.env.RABBITMQ_CONF_ENV_FILE = cluster.cliEnvFile;
}, 150_000);

afterAll(async () => {
  if (envBefore === undefined) delete process.env.RABBITMQ_CONF_ENV_FILE;
  else process.env.RABBITMQ_CONF_ENV_FILE = envBefore;
  await cluster?.stop();
  // Nothing of ours is left: no VM, CLI node or epmd whose command line names the temp dir.
  if (cluster) expect(spawnSync('pgrep', ['-f', cluster.dir], { encoding: 'utf8' }).stdout.trim()).toBe('');
}, 60_000);

describe('rebalance --lever queues on a real two-node RabbitMQ cluster', () => {
  it('the cluster: both nodes running, node 1 leads every quorum queue and stream', () => {
    const status = JSON.parse(cluster.ctl(NODE1, ['cluster_status', '--formatter', 'json'])) as { running_nodes: string[] };
    expect([...status.running_nodes].sort()).toEqual([NODE1, NODE2]);
    const leaders = leadersNow();
    expect(count(leaders, [...SOLO, ...QUORUM, ...STREAMS], NODE1)).toBe(12);
    expect(leaders.scratch).toBe('');
    if (capture) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(join(FIXTURES, 'cluster-status.json'), cluster.ctl(NODE1, ['-t', '20', 'cluster_status', '--formatter', 'json']));
      writeFileSync(join(FIXTURES, 'list-queues-leader-before.json'), cluster.ctl(NODE1, ['-t', '20', 'list_queues', '-p', '/', 'name', 'type', 'leader', 'members', '--formatter', 'json']));
      writeFileSync(join(FIXTURES, 'rabbitmq-version.txt'), cluster.ctl(NODE1, ['version']));
    }
  });

  it('through the engine: plan quorum leaders 10/0 -> 6/4 (streams and single-member queues stay), rabbitmq-queues rebalance all, verify re-reads 6/4', async () => {
    const h = harness([localHost('mq1', { rabbitmq: { rabbitmqctl: RABBITMQCTL, node: NODE1 } })]);
    try {
      const metrics = { load1: 0, load5: 0, load15: 0, cores: 2, cpuPercent: 30, memUsedPercent: 30, memTotalBytes: 1, swapUsedPercent: null, disks: [], diskUsedPercentMax: null, disksProblem: null, rxBytesPerSec: 0, txBytesPerSec: 0, uptimeSeconds: 1, kernel: 'k', os: 'os' } satisfies HostMetrics;
      Object.assign(h.live.state.hosts.mq1!, { conn: 'up', metrics, updatedAt: Number.MAX_SAFE_INTEGER });
      const plan = (await h.plan(rebalanceAction, [], { lever: ['queues'] })) as Plan;
      expect(plan).not.toHaveProperty('refused');
      const args = plan.args as unknown as RebalancePlanArgs;
      expect(args.queues!.leaders).toEqual([
        { broker: 'mq1', node: NODE1, before: 10, after: 6 },
        { broker: 'mq1', node: NODE2, before: 0, after: 4 },
      ]);
      expect(plan.preconditions).toContainEqual({ what: 'queues: stream leaders stay', ok: true, detail: `mq1: rabbitmq-queues rebalance moves quorum (and mirrored classic) queue leaders, not streams: ${NODE1} leads 2 streams` });
      expect(plan.steps.map((s) => s.label)).toEqual([`rabbitmq-queues rebalance all: leaders ${NODE1} 10→6, ${NODE2} 0→4`]);
      expect((plan.steps[0]!.spec as { command: string }).command).toBe(`${RABBITMQ_QUEUES} -q -n ${NODE1.replace('@', '\\@')} -t 8 rebalance all --formatter json </dev/null`);

      const result = await h.act(rebalanceAction, [], { lever: ['queues'] });
      if ('refused' in result) throw new Error(result.reason);
      expect(result.state).toBe('ok');
      expect(result.verify.detail).toContain(`mq1 rabbitmq leaders ${NODE1} 10 → 6 (planned 6), ${NODE2} 0 → 4 (planned 4)`);

      const after = leadersNow();
      expect(count(after, QUORUM, NODE2)).toBe(4);
      expect(count(after, [...SOLO, ...STREAMS], NODE1)).toBe(8);
      if (capture) writeFileSync(join(FIXTURES, 'list-queues-leader-after.json'), cluster.ctl(NODE1, ['-t', '20', 'list_queues', '-p', '/', 'name', 'type', 'leader', 'members', '--formatter', 'json']));
      // Spread now: a second rebalance has nothing to move.
      expect(await h.plan(rebalanceAction, [], { lever: ['queues'] })).toMatchObject({ refused: true, reason: expect.stringContaining(`mq1 rabbitmq: queue leaders cannot spread further (${NODE1} 6, ${NODE2} 4): 6 quorum queues have no member on another running node`) });
      if (capture) writeFileSync(join(FIXTURES, 'rebalance.json'), cluster.ctl(NODE1, ['-t', '20', 'rebalance', 'all', '--formatter', 'json'], RABBITMQ_QUEUES));
    } finally {
      await h.close();
    }
  }, 60_000);
});
