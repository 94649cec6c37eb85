// The RabbitMQ queue probe on real captures from the lab broker, through its
// real shell command: rabbitmqctl's JSON and the management API's, steady
// and with the consumers stopped, and the failures an operator meets (node
// down, wrong password, unknown vhost); then rates, trends and alerts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queueAlerts } from '../../../src/probes/queues/queue-alerts.js';
import { RabbitQueueService } from '../../../src/probes/queues/queue-service.js';
import type { QueueSnapshot } from '../../../src/probes/queues/queue-types.js';
import { deriveQueues } from '../../../src/probes/queues/queue-trends.js';
import { rabbitQueueProbeCommand, type RabbitQueueConfig } from '../../../src/probes/queues/rabbitmq-command.js';
import { parseRabbitQueues } from '../../../src/probes/queues/rabbitmq-queues.js';
import { failedCall, LAB_CONFIG, ok, rabbitFixture, runProbe } from './rabbitmq-fixtures.js';

const T0 = 1_795_319_560_000;
const secretDir = mkdtempSync(join(tmpdir(), 'baton-rabbit-secret-'));
const PASSWORD = 'pa"ss\\word$(id)';
const passwordFile = join(secretDir, 'monitor.password');
writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
afterAll(() => rmSync(secretDir, { recursive: true, force: true }));

const API: RabbitQueueConfig = { ...LAB_CONFIG, management: { url: 'http://127.0.3.5:15673/', user: 'baton-monitor', passwordFile } };

function snapshot(output: string, config: RabbitQueueConfig, takenAt = T0): QueueSnapshot {
  const r = parseRabbitQueues(output, takenAt, config);
  if (r.kind !== 'snapshot') throw new Error(`${r.message}\n${r.raw}`);
  return r.snapshot;
}

describe('rabbitmqctl list_queues --formatter json', () => {
  it('reads depth, ready, unacked and consumers of every queue in the vhost', () => {
    const run = runProbe(LAB_CONFIG, ok(rabbitFixture('steady', 'list-queues.json')));
    expect(run.argv).toEqual(['-q', '-n', 'rabbit@127.0.3.5', '-t', '8', 'list_queues', '-p', '/', 'name', 'type', 'durable', 'state', 'messages', 'messages_ready', 'messages_unacknowledged', 'consumers', 'arguments', '--formatter', 'json']);
    const s = snapshot(run.output, LAB_CONFIG);
    expect(s).toMatchObject({ broker: 'rabbitmq', serverTime: null, discovery: null });
    expect(s.error).toBeUndefined();
    expect(s.queues).toEqual([
      { broker: 'rabbitmq', name: 'orders.dlq', kind: 'queue', deadLetter: true, discovered: false, depth: 1, ready: 1, unacked: 0, queueType: 'classic', consumers: 0, oldestAgeMs: null },
      { broker: 'rabbitmq', name: 'orders', kind: 'queue', deadLetter: false, discovered: true, depth: 1, ready: 0, unacked: 1, queueType: 'classic', consumers: 2, oldestAgeMs: null },
    ]);
  });

  it('shows the backlog with no consumers, and raises the no-consumers alert', () => {
    const s = snapshot(runProbe(LAB_CONFIG, ok(rabbitFixture('backlog', 'list-queues.json'))).output, LAB_CONFIG);
    expect(s.queues.find((q) => q.name === 'orders')).toMatchObject({ depth: 215, ready: 215, unacked: 0, consumers: 0 });
    const derived = deriveQueues(new Map(), s).queues;
    expect(queueAlerts(derived).map((a) => `${a.kind} ${a.severity} ${a.message}`)).toEqual(['no-consumers crit orders: no consumers, 215 ready']);
  });

  it('keeps the inventory order, and marks a listed queue the vhost lacks', () => {
    const config = { ...LAB_CONFIG, queues: ['orders', 'payments'] };
    const s = snapshot(runProbe(config, ok(rabbitFixture('steady', 'list-queues.json'))).output, config);
    expect(s.queues.map((q) => [q.name, q.depth, q.discovered, q.error ?? null])).toEqual([
      ['orders', 1, false, null],
      ['payments', null, false, 'no queue payments in vhost /'],
      ['orders.dlq', 1, false, null],
    ]);
  });

  it('reports a node that does not run with rabbitmqctl\'s diagnosis, queues unread', () => {
    const s = snapshot(runProbe(LAB_CONFIG, failedCall('steady', 'list-queues-nodedown.txt')).output, LAB_CONFIG);
    expect(s.error).toBe("rabbitmqctl exited 69: Error: unable to perform an operation on node 'rabbit@127.0.3.250'. Please see diagnostics information and suggestions below.: unable to connect to epmd (port 4370) on 127.0.3.250: address (cannot connect to host/port)");
    expect(s.queues).toEqual([expect.objectContaining({ name: 'orders.dlq', depth: null, error: s.error })]);
  });

  it('lists nothing for an unknown vhost (rabbitmqctl prints an empty list), listed queues marked missing', () => {
    const s = snapshot(runProbe(LAB_CONFIG, failedCall('steady', 'list-queues-novhost.txt')).output, LAB_CONFIG);
    expect(s.error).toBeUndefined();
    expect(s.queues).toEqual([expect.objectContaining({ name: 'orders.dlq', depth: null, error: 'no queue orders.dlq in vhost /' })]);
  });

  it('says when the tool is missing, with the package to install', () => {
    const config = { ...LAB_CONFIG, rabbitmqctl: 'no-such-rabbitmqctl' };
    const output = spawnSync('/bin/sh', ['-c', rabbitQueueProbeCommand(config)], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).stdout;
    expect(snapshot(output, config).error).toMatch(/^rabbitmq exited 127: no-such-rabbitmqctl is not installed or not on PATH on this host \(Debian and Ubuntu: the rabbitmq-server package/);
  });

  it('runs rabbitmqctl through sudo -n when asked', () => {
    expect(rabbitQueueProbeCommand({ ...LAB_CONFIG, sudo: true })).toContain("sudo -n rabbitmqctl -q -n rabbit\\@127.0.3.5 -t 8 list_queues -p / name");
  });
});

describe('the management API (/api/queues/VHOST, curl on the broker host)', () => {
  it('reads the password on the host and hands it to curl on stdin, escaped, never on a command line', () => {
    const run = runProbe(API, ok(rabbitFixture('steady', 'api-queues.json')));
    expect(run.curlConfig).toBe('user = "baton-monitor:pa\\"ss\\\\word$(id)"\n');
    expect(run.argv).toEqual(['-sS', '-f', '--max-time', '5', '-K', '-', 'http://127.0.3.5:15673/api/queues/%2F?columns=name,type,durable,state,messages,messages_ready,messages_unacknowledged,consumers,arguments,message_stats']);
    expect(new RabbitQueueService({ deadLetters: ['orders.dlq'], management: API.management! }).command).not.toContain(PASSWORD);
  });

  it('takes the password from a session variable instead', () => {
    const config = { ...API, management: { url: 'https://mq.example:15671', user: 'mon', passwordEnv: 'RABBIT_MONITOR_PASSWORD' } };
    expect(runProbe(config, ok('[]'), { RABBIT_MONITOR_PASSWORD: 's3cret' }).curlConfig).toBe('user = "mon:s3cret"\n');
    const unset = snapshot(runProbe(config, ok('[]')).output, config);
    expect(unset.error).toBe("rabbitmq exited 127: rabbitmq management: the variable RABBIT_MONITOR_PASSWORD is not set in this host's login sessions (roles.rabbitmq.management)");
  });

  it('reads counters and the broker\'s rates as well as depths', () => {
    const s = snapshot(runProbe(API, ok(rabbitFixture('steady', 'api-queues.json'))).output, API);
    expect(s.queues).toEqual([
      expect.objectContaining({ name: 'orders.dlq', deadLetter: true, depth: 0, consumers: 0, published: 0, consumed: 0, publishRate: 0, deliverRate: 0 }),
      expect.objectContaining({ name: 'orders', depth: 2, ready: 0, unacked: 2, consumers: 2, published: 89, consumed: 88 }),
    ]);
  });

  it('measures in and out rates from the counters between two polls', () => {
    const service = new RabbitQueueService({ deadLetters: ['orders.dlq'], management: API.management! });
    const steady = runProbe(API, ok(rabbitFixture('steady', 'api-queues.json'))).output;
    const backlog = runProbe(API, ok(rabbitFixture('backlog', 'api-queues.json'))).output;
    service.parse(steady, T0);
    const r = service.parse(backlog, T0 + 20_000);
    if (r.kind !== 'snapshot') throw new Error(r.message);
    const orders = r.snapshot.queues.find((q) => q.name === 'orders')!;
    // publish 89 -> 467 and ack 88 -> 240 in 20 s.
    expect(orders).toMatchObject({ inRate: (467 - 89) / 20, outRate: (240 - 88) / 20, inRateBasis: 'measured', outRateBasis: 'measured', depthChange: 213, drain: 'growing', growthStreak: 1 });
    expect(r.snapshot.alerts.map((a) => a.kind)).toEqual(['dead-letters', 'no-consumers']);
  });

  it('reports a refused password as the broker\'s error', () => {
    const s = snapshot(runProbe(API, failedCall('steady', 'api-queues-401.txt')).output, API);
    expect(s.error).toBe('management exited 22: curl: (22) The requested URL returned error: 401');
  });

  it('says which password file it cannot read', () => {
    const config = { ...API, management: { ...API.management!, passwordFile: '/nonexistent/pw' } };
    expect(snapshot(runProbe(config, ok('[]')).output, config).error).toBe('rabbitmq exited 127: rabbitmq management: the password file /nonexistent/pw is missing or not readable by this user (roles.rabbitmq.management)');
  });
});

describe('parse errors', () => {
  it('carry the raw snippet when the JSON is not a queue list', () => {
    const r = parseRabbitQueues(runProbe(LAB_CONFIG, ok('Listing queues for vhost / ...\norders\t3\n')).output, T0, LAB_CONFIG);
    expect(r).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(/^rabbitmq: rabbitmqctl printed no JSON list/), raw: 'Listing queues for vhost / ...\norders\t3\n\n' });
  });

  it('name the missing framing', () => {
    expect(parseRabbitQueues('sh: 1: syntax error\n', T0, LAB_CONFIG)).toEqual({ kind: 'parse-error', message: "rabbitmq: no @@baton:queues section in the probe output (is the probe's shell POSIX?)", raw: 'sh: 1: syntax error\n' });
  });
});
