// The strategies' outcome logic (seed C88), checked against a direct
// definition on every combination of host outcomes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionVerdict, hostOutcome, type HostProgress } from '../../../src/ops/engine/completion.js';
import { COMPLETIONS } from '../../../src/ops/engine/plan.js';

const progress = fc.array(fc.constantFrom<HostProgress>('ok', 'failed', 'unknown', 'cancelled', 'pending'), { minLength: 1, maxLength: 12 });

describe('completionVerdict', () => {
  it('all: ok only when every host is ok; unknown never counts as ok or failed', () => {
    expect(completionVerdict('all', ['ok', 'ok'])).toEqual({ outcome: 'ok', settled: true });
    expect(completionVerdict('all', ['ok', 'unknown'])).toEqual({ outcome: 'unknown', settled: true });
    expect(completionVerdict('all', ['ok', 'failed', 'unknown'])).toEqual({ outcome: 'failed', settled: true });
    expect(completionVerdict('all', ['ok', 'pending']).settled).toBe(false);
  });

  it('first-success: settled at the first ok host even with hosts pending', () => {
    expect(completionVerdict('first-success', ['failed', 'ok', 'pending', 'pending'])).toEqual({ outcome: 'ok', settled: true });
    expect(completionVerdict('first-success', ['failed', 'failed'])).toEqual({ outcome: 'failed', settled: true });
    expect(completionVerdict('first-success', ['failed', 'unknown'])).toEqual({ outcome: 'unknown', settled: true });
  });

  it('majority: ok at more than half; failed once that is out of reach', () => {
    expect(completionVerdict('majority', ['ok', 'ok', 'pending', 'pending', 'pending'])).toEqual({ outcome: 'unknown', settled: false });
    expect(completionVerdict('majority', ['ok', 'ok', 'ok', 'pending', 'pending'])).toEqual({ outcome: 'ok', settled: true });
    expect(completionVerdict('majority', ['failed', 'failed', 'failed', 'pending', 'ok'])).toEqual({ outcome: 'failed', settled: true });
    expect(completionVerdict('majority', ['ok', 'ok', 'failed', 'failed'])).toEqual({ outcome: 'failed', settled: true });
  });

  it('property: a settled verdict never changes when the pending hosts end any way', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMPLETIONS), progress, fc.array(fc.constantFrom<HostProgress>('ok', 'failed', 'unknown', 'cancelled'), { minLength: 12, maxLength: 12 }), (completion, hosts, endings) => {
        const verdict = completionVerdict(completion, hosts);
        fc.pre(verdict.settled);
        const ended = hosts.map((h, i) => (h === 'pending' ? endings[i]! : h));
        // A host cancelled because the outcome was known does not change it either.
        const cancelled = hosts.map((h) => (h === 'pending' ? 'cancelled' : h));
        if (completion === 'first-success' || completion === 'majority') {
          expect(completionVerdict(completion, ended).outcome).toBe(verdict.outcome);
          expect(completionVerdict(completion, cancelled).outcome).toBe(verdict.outcome);
        } else expect(hosts).not.toContain('pending');
      }),
    );
  });

  it('property: ok means what the strategy promises', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMPLETIONS), progress, (completion, hosts) => {
        const v = completionVerdict(completion, hosts);
        const ok = hosts.filter((h) => h === 'ok').length;
        if (v.outcome !== 'ok') return;
        if (completion === 'all' || completion === 'all-or-nothing') expect(ok).toBe(hosts.length);
        if (completion === 'first-success') expect(ok).toBeGreaterThan(0);
        if (completion === 'majority') expect(ok * 2).toBeGreaterThan(hosts.length);
      }),
    );
  });

  it('a host ends with its first step that is not ok', () => {
    expect(hostOutcome(['ok', 'ok'])).toBe('ok');
    expect(hostOutcome(['ok', 'unknown', 'cancelled'])).toBe('unknown');
  });
});
