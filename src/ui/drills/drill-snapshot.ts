// What the drill view shows at one moment, computed from the runner's live
// run and the requests so far (pure, so the stopwatch and the timeline are
// tested from a snapshot without a drill): the stopwatch, the timeline from
// the fault to restored, the traffic now, the events baton raised.
import { longestOutage, matchesDetect, recoveryAt, RTO_WINDOW_MS } from '../../ops/drills/drill-figures.js';
import type { DrillPhase } from '../../ops/drills/drill-runner.js';
import type { DrillEvent, DrillRun } from '../../ops/drills/drill-run.js';
import type { TrafficRecord } from '../../ops/drills/traffic-probe.js';

/** Latency percentiles are of the ok requests that ended this recently. */
export const LATENCY_WINDOW_MS = 5000;

export type MarkState = 'done' | 'waiting' | 'missed' | 'failed';

export interface TimelineMark {
  label: string;
  /** Ms since the fault took effect; null while waiting or when it never happened. */
  atMs: number | null;
  state: MarkState;
  detail?: string;
}

export interface TrafficNow {
  /** % of the requests that ended in the last RTO window that were ok; null when none ended. */
  okPercent: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  /** The longest stretch with no ok request so far (the one under way counts, up to now). */
  longestGapMs: number | null;
  ok: number;
  fail: number;
  unknown: number;
}

export interface DrillSnapshot {
  phase: DrillPhase;
  /** Since the fault took effect, stopped when the drill ended; null before the fault. */
  elapsedMs: number | null;
  timeline: TimelineMark[];
  traffic: TrafficNow;
  /** Raised during the drill, `atMs` since the fault (negative before it). */
  events: (DrillEvent & { atMs: number | null })[];
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function trafficNow(requests: readonly TrafficRecord[], now: number, ongoing: boolean): TrafficNow {
  const recent = requests.filter((r) => r.endAt > now - RTO_WINDOW_MS && r.endAt <= now);
  const latencies = requests
    .filter((r) => r.outcome === 'ok' && r.endAt > now - LATENCY_WINDOW_MS && r.endAt <= now)
    .map((r) => r.endAt - r.startAt)
    .sort((a, b) => a - b);
  const probes = [...new Set(requests.map((r) => r.probe))];
  const gaps = probes.map((p) => {
    const own = requests.filter((r) => r.probe === p);
    const closed = longestOutage(own) ?? 0;
    if (!ongoing) return closed;
    // The gap under way: since the last ok request (or the first request) to now.
    const lastOk = Math.max(...own.filter((r) => r.outcome === 'ok').map((r) => r.endAt), Math.min(...own.map((r) => r.startAt)));
    return Math.max(closed, now - lastOk);
  });
  const count = (o: TrafficRecord['outcome']) => requests.filter((r) => r.outcome === o).length;
  return {
    okPercent: recent.length === 0 ? null : (recent.filter((r) => r.outcome === 'ok').length / recent.length) * 100,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    longestGapMs: gaps.length === 0 ? null : Math.max(...gaps),
    ok: count('ok'),
    fail: count('fail'),
    unknown: count('unknown'),
  };
}

/** When traffic was back, once a whole window after it has been seen (before that it may still fall). */
function backAt(requests: readonly TrafficRecord[], injectedAt: number, threshold: number, final: boolean): number | null {
  const probes = [...new Set(requests.map((r) => r.probe))];
  const lastStart = Math.max(...requests.map((r) => r.startAt));
  const each = probes.map((p) => recoveryAt(requests.filter((r) => r.probe === p), injectedAt, threshold));
  if (each.length === 0 || each.some((at) => at === null)) return null;
  const at = Math.max(...(each as number[]));
  return final || lastStart - at >= RTO_WINDOW_MS ? at : null;
}

const PAST_WATCHING: readonly DrillPhase[] = ['restoring', 'checking', 'observing', 'done'];

export function drillSnapshot(phase: DrillPhase, run: DrillRun, requests: readonly TrafficRecord[], now: number): DrillSnapshot {
  const injected = run.injectedAt;
  const done = phase === 'done';
  const end = done ? run.endedAt : now;
  const since = (at: number | null | undefined) => (at === null || at === undefined || injected === null ? null : Math.round(at - injected));
  const mark = (label: string, at: number | null, missed: boolean, detail?: string): TimelineMark => ({ label, atMs: since(at), state: at !== null ? 'done' : missed ? 'missed' : 'waiting', detail });

  const timeline: TimelineMark[] = [];
  const injectFailed = run.inject !== null && run.inject.outcome !== 'ok';
  timeline.push({ label: 'fault injected', atMs: injected === null ? null : 0, state: injected !== null ? 'done' : injectFailed ? 'failed' : done || run.aborted ? 'missed' : 'waiting', detail: run.inject ? (injectFailed ? run.inject.detail : run.inject.label) : phase === 'settling' ? 'settling: traffic baseline first' : undefined });
  const detected = injected === null ? undefined : run.events.find((e) => e.at >= injected && matchesDetect(e, run.detect));
  const watchOver = PAST_WATCHING.includes(phase);
  timeline.push(mark('detected', detected?.at ?? null, watchOver, detected ? `${detected.source}: ${detected.message}` : undefined));
  for (const c of run.conditions.filter((c) => c.after === 'inject')) {
    const late = injected !== null && end > injected + c.withinMs;
    timeline.push(mark(c.name, c.metAt, late || watchOver, c.metAt === null ? `within ${c.withinMs / 1000} s` : undefined));
  }
  const back = injected === null ? null : backAt(requests, injected, run.budget.recovered_above, done);
  timeline.push(mark('traffic back (RTO)', back, done, `above ${run.budget.recovered_above} % per ${RTO_WINDOW_MS / 1000} s`));
  timeline.push(mark('restore started', run.restoreAt, done, run.aborted ? `aborted: ${run.aborted}` : undefined));
  const restoreFailed = run.restoredAt !== null && !run.restored;
  timeline.push({
    ...mark('restored', run.restoredAt, done, run.restore.map((s) => `${s.label}${s.outcome === 'ok' ? '' : ` ${s.outcome}`}`).join('; ') || undefined),
    ...(restoreFailed ? { state: 'failed' as const } : {}),
  });
  for (const c of run.conditions.filter((c) => c.after === 'restore')) {
    const late = run.restoredAt !== null && end > run.restoredAt + c.withinMs;
    timeline.push(mark(c.name, c.metAt, late || done, c.metAt === null ? `within ${c.withinMs / 1000} s of restore` : 'after restore'));
  }
  return {
    phase,
    elapsedMs: injected === null ? null : Math.max(0, end - injected),
    timeline,
    traffic: trafficNow(requests, end, !done),
    events: run.events.filter((e) => e.at >= run.startedAt).map((e) => ({ ...e, atMs: since(e.at) })),
  };
}
