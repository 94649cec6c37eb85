// --repeat N: each figure's min, median and max over the runs, as
// Pacemaker's CTS reports per test. Pure.
import type { DrillFigures } from './drill-figures.js';

export interface Spread {
  min: number | null;
  median: number | null;
  max: number | null;
  /** Runs where the figure had no value (never detected, never back). */
  missing: number;
}

export function spread(values: readonly (number | null)[]): Spread {
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const missing = values.length - present.length;
  if (present.length === 0) return { min: null, median: null, max: null, missing };
  const mid = Math.floor(present.length / 2);
  const median = present.length % 2 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
  return { min: present[0]!, median, max: present[present.length - 1]!, missing };
}

export interface RepeatSummary {
  drill: string;
  runs: number;
  passed: number;
  ids: string[];
  detectionMs: Spread;
  rtoMs: Spread;
  longestOutageMs: Spread;
  requests: { ok: Spread; fail: Spread; unknown: Spread; slow: Spread };
  conditions: { name: string; metAtMs: Spread }[];
}

export function summarizeRepeats(runs: readonly DrillFigures[]): RepeatSummary {
  const names = [...new Set(runs.flatMap((r) => r.conditions.map((c) => c.name)))];
  return {
    drill: runs[0]?.drill ?? '',
    runs: runs.length,
    passed: runs.filter((r) => r.passed).length,
    ids: runs.map((r) => r.id),
    detectionMs: spread(runs.map((r) => r.detectionMs)),
    rtoMs: spread(runs.map((r) => r.rtoMs)),
    longestOutageMs: spread(runs.map((r) => r.longestOutageMs)),
    requests: {
      ok: spread(runs.map((r) => r.requests.ok)),
      fail: spread(runs.map((r) => r.requests.fail)),
      unknown: spread(runs.map((r) => r.requests.unknown)),
      slow: spread(runs.map((r) => r.requests.slow)),
    },
    conditions: names.map((name) => ({ name, metAtMs: spread(runs.map((r) => r.conditions.find((c) => c.name === name)?.metAtMs ?? null)) })),
  };
}
