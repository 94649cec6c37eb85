// When an action as a whole succeeded, from its hosts' outcomes (seed C88
// strategies). Pure: the runner asks after every host that settles whether
// the outcome is already known, to cancel the rest.
import type { Completion, FailurePolicy, Outcome, StepOutcome } from './plan.js';

export type HostProgress = StepOutcome | 'pending';

export interface CompletionVerdict {
  outcome: Outcome;
  /** True once no pending host can change the outcome: the rest may be cancelled. */
  settled: boolean;
}

function counts(hosts: readonly HostProgress[]) {
  const c = { ok: 0, failed: 0, unknown: 0, cancelled: 0, pending: 0 };
  for (const h of hosts) c[h]++;
  return c;
}

/**
 * - all / all-or-nothing: ok when every host is ok; failed when one failed
 *   (or was cancelled); unknown when the rest are ok but some are unknown.
 * - first-success: ok at the first ok host; else unknown if one is unknown.
 * - majority: ok once more than half are ok; failed once that cannot happen
 *   even if every pending and unknown host turned out ok.
 * `unknown` hosts never count as ok or failed: only a verify resolves them.
 */
export function completionVerdict(completion: Completion, hosts: readonly HostProgress[]): CompletionVerdict {
  const c = counts(hosts);
  const done = c.pending === 0;
  switch (completion) {
    case 'all':
    case 'all-or-nothing': {
      if (c.failed > 0 || c.cancelled > 0) return { outcome: 'failed', settled: done };
      return { outcome: c.unknown > 0 ? 'unknown' : done ? 'ok' : 'unknown', settled: done };
    }
    case 'first-success':
      if (c.ok > 0) return { outcome: 'ok', settled: true };
      return { outcome: c.unknown > 0 || !done ? 'unknown' : 'failed', settled: done };
    case 'majority': {
      const need = Math.floor(hosts.length / 2) + 1;
      if (c.ok >= need) return { outcome: 'ok', settled: true };
      if (c.ok + c.pending + c.unknown < need) return { outcome: 'failed', settled: true };
      return { outcome: 'unknown', settled: done };
    }
  }
}

/** `ignore`: failures are reported per host but do not fail the action. */
export function applyFailurePolicy(policy: FailurePolicy, outcome: Outcome): Outcome {
  return policy === 'ignore' ? 'ok' : outcome;
}

/** A host's outcome from its steps' outcomes, in plan order (a host stops at its first non-ok step). */
export function hostOutcome(steps: readonly StepOutcome[]): StepOutcome {
  return steps.find((o) => o !== 'ok') ?? 'ok';
}
