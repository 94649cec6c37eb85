// Traffic services against the real lab: the Redis queues (consumers stopped
// with `baton lab fail`: the backlog grows, the alert fires and shows on the
// queues view, mounted with ink-testing-library on the live store; healed,
// it drains and the trend turns) and NGINX on lb1 (real requests through it
// give rates; stopped, the probe's error shows; healed, it comes back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import type { Session } from '../../src/cli/session.js';
import { httpGet } from '../../src/lab/http-get.js';
import type { NginxServiceSnapshot } from '../../src/monitor/service-plan.js';
import type { QueueServiceSnapshot } from '../../src/probes/queues/queue-service.js';
import { serviceId } from '../../src/store/services.js';
import type { TestLab } from '../helpers/lab.js';
import { startLabSession, type LabSession } from '../helpers/lab-session.js';
import { waitFor } from '../helpers/wait-for.js';
import type { Mounted } from '../ui/render-app.js';
import { mountLive, waitForScreen } from './live-screen.js';

const INTERVAL_S = 1;
const BUDGET_MS = INTERVAL_S * 1000 + 1000;
let running: LabSession | undefined;
let lab: TestLab;
let session: Session;
let queues: Mounted;

beforeAll(async () => {
  running = await startLabSession(INTERVAL_S);
  ({ lab, session } = running);
  // Mounted from the start: the pane keeps its own depth history between polls.
  queues = mountLive(session.store, 'queues', INTERVAL_S * 1000);
}, 60_000);
afterAll(async () => {
  queues?.unmount();
  await running?.stop();
});

const broker = () => session.store.getState().services[serviceId('queues', 'mq1')];
const queue = (name: string) => (broker()?.snapshot as QueueServiceSnapshot | undefined)?.queues.find((q) => q.name === name);
/** The jobs row (not jobs:dead's), which the pane marks with ▲ while it alerts. */
const JOBS_ROW = /^.*[▲ ]jobs\s+\d+.*$/m;

describe('queues on the lab broker', () => {
  it('shows the stream and list with consumers, rates and a small depth, in the store and on the pane', async () => {
    await waitFor(() => queue('orders')?.inRate != null && queue('jobs') !== undefined, 10_000, 'queues with rates');
    expect(broker()?.answeredBy).toBe('mq1');
    expect(queue('orders')).toMatchObject({ kind: 'stream', consumers: 2 });
    expect(queue('orders')!.inRate!).toBeGreaterThan(5);
    expect(queue('jobs')!.depth!).toBeLessThan(100);
    const pane = await waitForScreen(queues, /orders\s+\d+/, 3000, 'the orders row');
    expect(pane).toMatch(JOBS_ROW);
    expect(pane).toContain('mq1 · ');
  });

  it('fires a growth alert when the consumers stop, shown on the pane, and the trend turns when they come back', async () => {
    expect(lab.baton('fail', 'queue:consumers').code).toBe(0);
    const before = queue('jobs')!.depth!;
    await waitFor(() => (queue('jobs')?.depth ?? 0) > before + 40, 6000, 'jobs backlog growing');
    await waitFor(() => broker()?.alerts.some((a) => /^jobs: grew for/.test(a.message)), 12_000, 'growth alert on jobs');
    expect(queue('jobs')!.drain).toBe('growing');
    expect(session.store.getState().events.some((e) => e.source === 'queues' && /jobs/.test(e.message))).toBe(true);
    const snap = buildSnapshot(session.store.getState(), Date.now());
    expect(snap.queues.find((q) => q.name === 'jobs')).toMatchObject({ broker: 'redis', host: 'mq1', drain: 'growing', alerts: [expect.objectContaining({ severity: expect.any(String) })] });

    // The pane: the alert line, and the jobs row marked, growing, with a rising trend.
    const growing = await waitForScreen(queues, /▲ jobs\s+\d+[^\n]*growing\s+\+[\d.]+\/s/, 3000, 'jobs growing with an alert marker');
    expect(growing).toMatch(/▲ jobs: grew for/);

    expect(lab.baton('heal', 'queue:consumers').code).toBe(0);
    await waitFor(() => queue('jobs')?.drain === 'draining' || queue('jobs')?.drain === 'empty', 15_000, 'jobs draining');
    expect(queue('jobs')!.trend!).toBeLessThan(0);
    const draining = await waitForScreen(queues, /[▲ ]jobs\s+\d+[^\n]*\s-[\d.]+\/s/, 5000, 'jobs row with a falling trend');
    expect(JOBS_ROW.exec(draining)![0]).not.toContain('growing');
  });
});

const nginx = () => session.store.getState().services[serviceId('nginx', 'lb1')];
const nginxSnap = () => nginx()?.snapshot as NginxServiceSnapshot | undefined;
/** Newest first. */
const nginxEvents = () => session.store.getState().events.filter((e) => e.source === 'nginx');

/** Real requests through nginx to HAProxy and the web apps until stop() is called. */
function traffic(): { stop(): Promise<number> } {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    while (running) {
      const reply = await httpGet('http://127.0.3.6:8088/version', 2000);
      if (reply?.status === 200) sent++;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return sent;
    },
  };
}

describe('NGINX on the lab LB host', () => {
  it('shows request and accept rates of real traffic through it, read over SSH with curl', async () => {
    const load = traffic();
    let sent = 0;
    try {
      // The probe's own stub_status fetch is one request per interval: more is the traffic.
      await waitFor(() => (nginxSnap()?.rates.requestsPerSec ?? 0) > 5, 10_000, 'nginx request rate above the probe alone');
    } finally {
      sent = await load.stop();
    }
    expect(sent).toBeGreaterThan(10);
    expect(nginx()).toMatchObject({ answeredBy: 'lb1', via: 'curl', alerts: [] });
    expect(nginxSnap()!.rates.acceptsPerSec!).toBeGreaterThan(0);
    expect(nginxSnap()!.rates.dropped).toBe(0);
    expect(nginxSnap()!.active).toBeGreaterThanOrEqual(1);
    const snap = buildSnapshot(session.store.getState(), Date.now());
    expect(snap.nginx).toEqual([expect.objectContaining({ key: 'lb1', answeredBy: 'lb1', error: null })]);
  });

  it('shows the probe error within one interval plus 1 s of `lab fail nginx:lb1`, and comes back on heal', async () => {
    // Polls that failed while the connections came up are no news.
    expect(nginxEvents()).toEqual([]);
    const fail = lab.baton('fail', 'nginx:lb1');
    expect(fail.code, fail.stderr).toBe(0);
    expect(fail.stdout).toMatch(/stopped nginx on lb1/);
    const injected = Date.now();
    await waitFor(() => nginx()?.error, BUDGET_MS, 'nginx error in the store');
    expect(nginxEvents()[0]).toMatchObject({ hostId: 'lb1', severity: 'crit', message: expect.stringMatching(/^lb1: nginx stopped answering: lb1: .*Failed to connect/) });
    expect(Date.now() - injected).toBeLessThanOrEqual(BUDGET_MS);
    expect(nginx()!.error!.message).toMatch(/^no nginx answer from lb1: .*curl got no stub_status page .*Failed to connect to 127\.0\.3\.6 port 8088/);
    expect(buildSnapshot(session.store.getState(), Date.now()).nginx[0]!.error).toMatch(/Failed to connect/);
    const status = lab.status();
    expect(status.components.find((c) => c.name === 'nginx')).toMatchObject({ healthy: false, failed: ['nginx:lb1'] });

    const healedAt = Date.now();
    expect(lab.baton('heal', 'nginx:lb1').code).toBe(0);
    await waitFor(() => nginx()?.error === undefined && (nginx()?.updatedAt ?? 0) > healedAt, BUDGET_MS + 1000, 'nginx answering again');
    expect(nginxEvents()[0]).toMatchObject({ hostId: 'lb1', severity: 'info', message: 'lb1: nginx answers again (asked lb1)' });
    // Counters restarted from zero: no rate across the restart, then rates again.
    expect(nginxSnap()!.requests).toBeLessThan(20);
    await waitFor(() => nginxSnap()?.rates.requestsPerSec != null, BUDGET_MS + 1000, 'nginx rates again');
    expect(lab.status().components.find((c) => c.name === 'nginx')).toMatchObject({ healthy: true, failed: [] });
  });
});
