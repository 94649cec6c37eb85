// A drill run's figures, computed from what it recorded (pure): detection
// time, time to each condition, RTO, longest outage, requests by outcome,
// the events raised, and which budget, if any, was exceeded.
import type { DrillEvent, DrillRun } from './drill-run.js';
import type { TrafficRecord } from './traffic-probe.js';

/** Success is judged per window of this many ms for the RTO. */
export const RTO_WINDOW_MS = 2000;

export interface BudgetExceeded {
  figure: 'rtoMs' | 'detectionMs' | 'longestOutageMs' | 'requests.fail' | 'requests.unknown' | 'requests.slow';
  value: number | null;
  budget: number;
}

export interface DrillFigures {
  drill: string;
  id: string;
  passed: boolean;
  detectionMs: number | null;
  rtoMs: number | null;
  longestOutageMs: number | null;
  requests: { ok: number; fail: number; unknown: number; slow: number; total: number };
  conditions: { name: string; metAtMs: number | null; withinMs: number; after: 'inject' | 'restore' }[];
  events: number;
  restored: boolean;
  aborted: string | null;
  exceeded: BudgetExceeded[];
  /** Why it did not pass, one line each. */
  failures: string[];
}

export function matchesDetect(e: DrillEvent, detect: DrillRun['detect']): boolean {
  if (!detect) return e.severity === 'warn' || e.severity === 'crit';
  return (detect.source === undefined || e.source === detect.source) && (detect.match === undefined || new RegExp(detect.match).test(e.message));
}

/** When traffic was back: the first ok request after the last window whose success rate was under the threshold. */
export function recoveryAt(requests: readonly TrafficRecord[], from: number, thresholdPercent: number, windowMs = RTO_WINDOW_MS): number | null {
  const after = requests.filter((r) => r.startAt >= from).sort((a, b) => a.startAt - b.startAt);
  if (after.length === 0) return null;
  const end = after[after.length - 1]!.startAt;
  let lastBad = -1;
  for (let i = 0; i < after.length; i++) {
    const s = after[i]!.startAt;
    if (s + windowMs > end) break; // windows must be whole
    let ok = 0;
    let total = 0;
    for (let j = i; j < after.length && after[j]!.startAt < s + windowMs; j++) {
      total++;
      if (after[j]!.outcome === 'ok') ok++;
    }
    if ((ok / total) * 100 < thresholdPercent) lastBad = i;
  }
  if (lastBad < 0) return from;
  const back = after.slice(lastBad + 1).find((r) => r.outcome === 'ok');
  // Still bad in the last whole window: not back.
  if (!back || after.slice(lastBad + 1).every((r) => r.startAt + windowMs > end)) return null;
  return back.endAt;
}

/** The longest stretch with no request ending ok, from the first request's start to the last one's end. */
export function longestOutage(requests: readonly TrafficRecord[]): number | null {
  if (requests.length === 0) return null;
  const first = Math.min(...requests.map((r) => r.startAt));
  const last = Math.max(...requests.map((r) => r.endAt));
  const oks = requests.filter((r) => r.outcome === 'ok').map((r) => r.endAt).sort((a, b) => a - b);
  const points = [first, ...oks, last];
  let longest = 0;
  for (let i = 1; i < points.length; i++) longest = Math.max(longest, points[i]! - points[i - 1]!);
  return longest;
}

const maxOrNull = (values: (number | null)[]): number | null => (values.some((v) => v === null) || values.length === 0 ? null : Math.max(...(values as number[])));

export function computeFigures(run: DrillRun): DrillFigures {
  const injected = run.injectedAt;
  const detected = injected === null ? undefined : run.events.find((e) => e.at >= injected && matchesDetect(e, run.detect));
  const probes = [...new Set(run.requests.map((r) => r.probe))];
  const rtoMs = injected === null ? null : maxOrNull(probes.map((p) => recoveryAt(run.requests.filter((r) => r.probe === p), injected, run.budget.recovered_above)).map((at) => (at === null ? null : Math.max(0, at - injected))));
  const longestOutageMs = maxOrNull(probes.map((p) => longestOutage(run.requests.filter((r) => r.probe === p))));
  const count = (o: string) => run.requests.filter((r) => r.outcome === o).length;
  const requests = {
    ok: count('ok'),
    fail: count('fail'),
    unknown: count('unknown'),
    slow: run.requests.filter((r) => r.outcome === 'ok' && r.endAt - r.startAt > (run.slowMs[r.probe] ?? Infinity)).length,
    total: run.requests.length,
  };
  const conditions = run.conditions.map((c) => {
    const origin = c.after === 'restore' ? run.restoredAt : injected;
    return { name: c.name, metAtMs: c.metAt === null || origin === null ? null : Math.max(0, Math.round(c.metAt - origin)), withinMs: c.withinMs, after: c.after };
  });
  const detectionMs = detected && injected !== null ? Math.round(detected.at - injected) : null;
  const b = run.budget;
  const exceeded: BudgetExceeded[] = [];
  const over = (figure: BudgetExceeded['figure'], value: number | null, budget: number | undefined) => {
    if (budget !== undefined && (value === null || value > budget)) exceeded.push({ figure, value, budget });
  };
  over('rtoMs', rtoMs === null ? null : Math.round(rtoMs), b.rto);
  over('detectionMs', detectionMs, b.detection);
  over('longestOutageMs', longestOutageMs === null ? null : Math.round(longestOutageMs), b.longest_outage);
  over('requests.fail', requests.fail, b.failed_requests);
  over('requests.unknown', requests.unknown, b.unknown_requests);
  over('requests.slow', requests.slow, b.slow_requests);
  const failures = [
    ...(run.aborted ? [`aborted: ${run.aborted}`] : []),
    ...(run.inject && run.inject.outcome !== 'ok' ? [`inject ${run.inject.outcome}: ${run.inject.detail}`] : []),
    ...conditions.filter((c) => c.metAtMs === null).map((c) => `${c.name}: not met within ${c.withinMs / 1000} s`),
    ...exceeded.map((e) => `budget exceeded: ${e.figure} ${e.value === null ? 'never' : e.value} > ${e.budget}`),
    ...(run.restored ? [] : ['restore did not complete']),
  ];
  return {
    drill: run.drill,
    id: run.id,
    passed: failures.length === 0,
    detectionMs,
    rtoMs: rtoMs === null ? null : Math.round(rtoMs),
    longestOutageMs: longestOutageMs === null ? null : Math.round(longestOutageMs),
    requests,
    conditions,
    events: run.events.filter((e) => e.at >= run.startedAt).length,
    restored: run.restored,
    aborted: run.aborted ?? null,
    exceeded,
    failures,
  };
}
