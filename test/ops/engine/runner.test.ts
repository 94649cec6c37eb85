// The runner against scripted transports: strategies cancel what they no
// longer need, all-or-nothing undoes exactly the hosts that succeeded, a
// timeout is unknown (never failed), retries back off, abort says what it
// killed, and every attempt is journaled before it is sent.
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../../src/ops/engine/journal.js';
import type { Completion, FailurePolicy, Plan, Step } from '../../../src/ops/engine/plan.js';
import { RunControl } from '../../../src/ops/engine/run-control.js';
import { backoffMs, runPlan } from '../../../src/ops/engine/runner.js';
import { FakeTransport, type Script } from './fake-transport.js';

function plan(hosts: string[], over: { completion?: Completion; failurePolicy?: FailurePolicy; undo?: boolean; concurrency?: number; retries?: number } = {}): Plan {
  const step = (prefix: string, h: string, command: string): Step => ({ id: `${prefix}:${h}`, hostId: h, label: command, spec: { kind: 'command', command }, timeoutMs: 1000, retries: over.retries ?? 0 });
  return {
    id: 't',
    action: 'exec',
    title: 't',
    args: {},
    inventory: 'test',
    createdAt: 0,
    targets: hosts,
    locks: [],
    changes: [],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    steps: hosts.map((h) => step('exec', h, 'cmd')),
    undo: over.undo ? hosts.map((h) => step('undo', h, 'undo')) : [],
    concurrency: over.concurrency ?? 10,
    failurePolicy: over.failurePolicy ?? 'continue',
    completion: over.completion ?? 'all',
    verify: '',
  };
}

function fleet(scripts: Record<string, Script | ((command: string, n: number) => Script)>) {
  return new Map(Object.entries(scripts).map(([h, s]) => [h, new FakeTransport(h, typeof s === 'function' ? s : () => s)]));
}

describe('runPlan', () => {
  it('all: every host reports; a dead host is failed (not sent), a timeout is unknown', async () => {
    const transports = fleet({ a: { code: 0 }, b: { code: 1 }, c: { down: true }, d: { timedOut: true } });
    const r = await runPlan(plan(['a', 'b', 'c', 'd']), { transports });
    expect(r.hostOutcomes).toEqual({ a: 'ok', b: 'failed', c: 'failed', d: 'unknown' });
    expect(r.results.find((x) => x.hostId === 'c')?.error).toMatch(/not sent: c: connection refused/);
    expect(r.outcome).toBe('failed');
    expect(transports.get('c')!.commands).toEqual([]);
  });

  it('first-success: the first ok host ends it; running ones are killed and not-started ones never start', async () => {
    const transports = fleet({ a: { code: 1, delayMs: 5 }, b: { code: 0, delayMs: 40 }, c: { code: 0, delayMs: 500 }, d: { code: 0, delayMs: 500 }, e: { code: 0 } });
    const r = await runPlan(plan(['a', 'b', 'c', 'd', 'e'], { completion: 'first-success', concurrency: 3 }), { transports });
    expect(r.outcome).toBe('ok');
    // d took a's slot and was running (killed); e was still queued behind the cap.
    expect(r.hostOutcomes).toEqual({ a: 'failed', b: 'ok', c: 'cancelled', d: 'cancelled', e: 'cancelled' });
    expect(transports.get('d')!.commands).toHaveLength(1);
    expect(transports.get('e')!.commands).toHaveLength(0);
  });

  it('majority: ok once more than half succeeded, the rest cancelled', async () => {
    const transports = fleet({ a: { code: 0 }, b: { code: 0 }, c: { code: 0, delayMs: 5 }, d: { code: 0, delayMs: 400 }, e: { code: 1, delayMs: 400 } });
    const r = await runPlan(plan(['a', 'b', 'c', 'd', 'e'], { completion: 'majority' }), { transports });
    expect(r.outcome).toBe('ok');
    expect(r.hostOutcomes).toMatchObject({ d: 'cancelled', e: 'cancelled' });
  });

  it('all-or-nothing: a failure runs the undo on exactly the hosts that succeeded', async () => {
    const transports = fleet({ a: { code: 0 }, b: (c) => ({ code: c === 'undo' ? 0 : 7 }), c: { code: 0 }, d: { down: true } });
    const r = await runPlan(plan(['a', 'b', 'c', 'd'], { completion: 'all-or-nothing', undo: true, failurePolicy: 'continue' }), { transports });
    expect(r.outcome).toBe('failed');
    expect(r.undo.map((u) => u.hostId).sort()).toEqual(['a', 'c']);
    expect(transports.get('b')!.commands).toEqual(['cmd']);
  });

  it('stop policy: nothing new starts after a failure; ignore: failures do not fail the action', async () => {
    const transports = fleet({ a: { code: 1 }, b: { code: 0 }, c: { code: 0 } });
    const stopped = await runPlan(plan(['a', 'b', 'c'], { failurePolicy: 'stop', concurrency: 1 }), { transports });
    expect(stopped.hostOutcomes).toEqual({ a: 'failed', b: 'cancelled', c: 'cancelled' });
    const ignored = await runPlan(plan(['a', 'b'], { failurePolicy: 'ignore' }), { transports: fleet({ a: { code: 1 }, b: { code: 0 } }) });
    expect(ignored.outcome).toBe('ok');
  });

  it('retries with exponential backoff only when the step allows them, each attempt journaled', async () => {
    const records: JournalRecord[] = [];
    const waits: number[] = [];
    const transports = fleet({ a: (_c, n) => ({ code: n < 3 ? 1 : 0 }) });
    const r = await runPlan(plan(['a'], { retries: 3 }), { transports, journal: { append: async (rec) => void records.push(rec) }, sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
    expect(r.results[0]).toMatchObject({ outcome: 'ok', attempts: 3 });
    expect(waits).toEqual([500, 1000]);
    expect(records.map((x) => `${x.t}${'attempt' in x ? x.attempt : ''}`)).toEqual(['step-start1', 'step-end1', 'step-start2', 'step-end2', 'step-start3', 'step-end3']);
    const once = await runPlan(plan(['a']), { transports: fleet({ a: { code: 1 } }) });
    expect(once.results[0]!.attempts).toBe(1);
    expect(backoffMs(3, () => 0)).toBe(1000);
  });

  it('pause holds new steps; abort with kill kills the running ones and says which', async () => {
    const control = new RunControl();
    control.pause();
    const transports = fleet({ a: { code: 0, delayMs: 1000 }, b: { code: 0 } });
    const running = runPlan(plan(['a', 'b'], { concurrency: 1 }), { transports }, {}, control);
    await new Promise((r) => setTimeout(r, 30));
    expect(transports.get('a')!.commands).toEqual([]);
    control.resume();
    await new Promise((r) => setTimeout(r, 30));
    control.abort({ kill: true });
    const r = await running;
    expect(r.aborted).toEqual({ killed: ['exec:a'], finished: [] });
    expect(r.hostOutcomes).toEqual({ a: 'cancelled', b: 'cancelled' });
    expect(transports.get('b')!.commands).toEqual([]);
  });

  it('resume: steps journaled ok earlier are reported, not run again', async () => {
    const transports = fleet({ a: { code: 0 }, b: { code: 0 } });
    const earlier = new Map([['exec:a', { stepId: 'exec:a', hostId: 'a', label: 'cmd', outcome: 'ok' as const, rc: 0, stdout: 'old', stderr: '', durationMs: 1, attempts: 1 }]]);
    const r = await runPlan(plan(['a', 'b']), { transports, earlier });
    expect(r.outcome).toBe('ok');
    expect(transports.get('a')!.commands).toEqual([]);
    expect(transports.get('b')!.commands).toEqual(['cmd']);
    expect(r.results[0]).toMatchObject({ earlier: true, stdout: 'old' });
  });
});
