// `baton lab up --with rabbitmq` against the real tools: the node, its
// management API, Erlang distribution and epmd listen on loopback only; the
// login user on mq1 reaches it with rabbitmqctl and the monitoring user;
// baton's probe (both sources) reads it over SSH; failing the consumers
// grows the backlog until the alert fires, healing drains it and the trend
// turns; `lab down` leaves no process, no socket and no listener (epmd too).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { openSession, type Session } from '../../src/cli/session.js';
import { RabbitQueueService, type QueueServiceSnapshot } from '../../src/probes/queues/queue-service.js';
import { serviceId } from '../../src/store/services.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { processesMentioning } from '../helpers/processes.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';
import { labProcesses } from '../../src/lab/leftovers.js';

const CTL = '/usr/lib/rabbitmq/bin/rabbitmqctl';
const NODE = 'rabbit@127.0.3.5';
let lab: TestLab;
let session: Session | undefined;

beforeAll(async () => {
  lab = await startTestLab({ with: ['rabbitmq'] });
  console.log(`lab up --with rabbitmq: ${lab.upMs} ms; ${lab.upOutput.match(/memory:.*$/m)?.[0] ?? ''}`);
}, 130_000);
afterAll(async () => {
  await session?.monitor.stop();
  await lab?.down();
});

/** `ss -ltnp` lines of the listeners the lab's processes own: [local address, process]. */
function labListeners(): Array<[string, string]> {
  const pids = new Set(labProcesses(lab.dir).map((p) => p.pid));
  const out = spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .filter(Boolean)
    .flatMap((line): Array<[string, string]> => {
      const cols = line.trim().split(/\s+/);
      const owners = [...line.matchAll(/\("([^"]+)",pid=(\d+)/g)].filter((m) => pids.has(Number(m[2])));
      return owners.length ? [[cols[3]!, owners[0]![1]!]] : [];
    });
}

describe('the lab RabbitMQ', () => {
  it('listens on loopback only: AMQP, management, distribution and epmd on mq1', () => {
    const listeners = labListeners();
    const rabbit = listeners.filter(([, comm]) => comm === 'beam.smp' || comm === 'epmd').map(([addr]) => addr);
    // epmd on 127.0.0.1 too: an Erlang node registers with the epmd there.
    expect(rabbit.sort()).toEqual(['127.0.0.1:4370', '127.0.3.5:15673', '127.0.3.5:25673', '127.0.3.5:4370', '127.0.3.5:5672'].sort());
    for (const [addr, comm] of listeners) expect(`${comm} ${addr}`).toMatch(/ 127\.\d+\.\d+\.\d+:\d+$/);
    expect(lab.status().components.find((c) => c.name === 'rabbitmq')).toMatchObject({ healthy: true, failed: [] });
  });

  it('answers rabbitmqctl and the monitoring user on mq1 as the login user; guest does not exist', () => {
    const ctl = lab.ssh('mq1', `${CTL} -q -n ${NODE} list_queues -p / name durable consumers --formatter json`);
    expect(ctl.status, ctl.stderr).toBe(0);
    expect(JSON.parse(ctl.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'orders', durable: true }), expect.objectContaining({ name: 'orders.dlq' })]));
    const pw = `${lab.dir}/rabbitmq/cli/monitor.password`;
    const api = lab.ssh('mq1', `{ printf 'user = "baton-monitor:'; cat ${pw}; printf '"\\n'; } | curl -sS -f -K - http://127.0.3.5:15673/api/whoami`);
    expect(api.status, api.stderr).toBe(0);
    expect(JSON.parse(api.stdout)).toMatchObject({ name: 'baton-monitor', tags: ['monitoring'] });
    const guest = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'guest:guest', 'http://127.0.3.5:15673/api/whoami'], { encoding: 'utf8' });
    expect(guest.stdout).toBe('401');
  });

  it("baton's rabbitmqctl probe reads the queues over SSH with the session's cookie", () => {
    const service = new RabbitQueueService({ node: NODE, rabbitmqctl: CTL, deadLetters: ['orders.dlq'] });
    const r = service.parse(lab.ssh('mq1', service.command).stdout, Date.now());
    if (r.kind !== 'snapshot') throw new Error(`${r.message}\n${r.raw}`);
    expect(r.snapshot.error).toBeUndefined();
    expect(r.snapshot.queues.map((q) => q.name)).toEqual(['orders.dlq', 'orders']);
    expect(r.snapshot.queues.find((q) => q.name === 'orders')).toMatchObject({ kind: 'queue', consumers: 2 });
  });
});

describe('baton watching the lab RabbitMQ (management API)', () => {
  const broker = () => session!.store.getState().services[serviceId('queues', 'mq1:rabbitmq')];
  const orders = () => (broker()?.snapshot as QueueServiceSnapshot | undefined)?.queues.find((q) => q.name === 'orders');

  it('shows orders with consumers and measured rates', async () => {
    session = await openSession(sessionOptions({ inventory: lab.files.inventory, interval: 1 }));
    session.monitor.start();
    // The management API's figures lag by up to its stats interval (2 s in the lab).
    await waitFor(() => orders()?.inRate != null && orders()?.outRate != null && orders()?.consumers === 2, 15_000, 'orders with rates and both consumers');
    expect(broker()?.answeredBy).toBe('mq1');
    expect(orders()).toMatchObject({ broker: 'rabbitmq', consumers: 2, inRateBasis: 'measured', outRateBasis: 'measured' });
    expect(orders()!.depth!).toBeLessThan(100);
  }, 30_000);

  it('fires the alert when the consumers stop, then drains and the trend turns when they come back', async () => {
    const failedAt = Date.now();
    expect(lab.baton('fail', 'rabbitmq:consumers').code).toBe(0);
    const before = orders()!.depth!;
    await waitFor(() => broker()?.alerts.some((a) => /^orders: no consumers/.test(a.message)), 10_000, 'no-consumers alert on orders');
    const detectedMs = Date.now() - failedAt;
    await waitFor(() => (orders()?.depth ?? 0) > before + 40, 10_000, 'orders backlog growing');
    await waitFor(() => orders()?.drain === 'growing', 10_000, 'orders growing');
    console.log(`rabbitmq: no-consumers alert ${detectedMs} ms after lab fail; depth ${orders()!.depth}`);
    const row = buildSnapshot(session!.store.getState(), Date.now()).queues.find((q) => q.broker === 'rabbitmq' && q.name === 'orders');
    expect(row).toMatchObject({ host: 'mq1', consumers: 0, unacked: 0, alerts: expect.arrayContaining([expect.objectContaining({ severity: 'crit' })]) });
    expect(session!.store.getState().events.some((e) => e.source === 'queues' && /orders: no consumers/.test(e.message))).toBe(true);

    expect(lab.baton('heal', 'rabbitmq:consumers').code).toBe(0);
    expect(lab.baton('rates', '--consume', '200').code).toBe(0);
    await waitFor(() => orders()?.drain === 'draining' || orders()?.drain === 'empty', 20_000, 'orders draining');
    await waitFor(() => (orders()?.trend ?? 0) < 0, 10_000, 'a falling trend');
    expect(orders()!.consumers).toBe(2);
    await waitFor(() => !broker()?.alerts.some((a) => /^orders: no consumers/.test(a.message)), 5000, 'the alert cleared');
  }, 60_000);
});

describe('lab down', () => {
  it('leaves no process, no socket and no listener of RabbitMQ or epmd', async () => {
    await session?.monitor.stop();
    session = undefined;
    const out = await lab.down();
    expect(out).toMatch(/nothing left running/);
    expect(processesMentioning(lab.dir)).toEqual([]);
    const left = spawnSync('ss', ['-Hltn'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => /127\.0\.3\.5:(5672|15673|25673|4370)\b|:4370\b/.test(l));
    expect(left).toEqual([]);
  }, 30_000);
});
