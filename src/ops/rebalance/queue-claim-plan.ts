// The Redis half of the queue lever, pure: in each consumer group where a
// consumer idle longer than the threshold still owns pending entries, the
// live consumer (idle at most the threshold) with the fewest pending claims
// every entry idle longer than the threshold, as `XAUTOCLAIM ... min-idle-time`
// does; the plan is each consumer's pending count before -> after.
import type { ClaimGroup, ClaimRead } from './queue-read.js';

export interface QueueChange {
  broker: string;
  stream: string;
  group: string;
  consumer: string;
  before: number;
  after: number;
}

export interface GroupClaim {
  broker: string;
  stream: string;
  group: string;
  /** The consumer XAUTOCLAIM names: it takes the entries. */
  claimer: string;
  minIdleMs: number;
  /** Entries it takes (a lower bound when `capped`). */
  entries: number;
  /** Consumers idle over the threshold that owned pending entries. */
  idle: string[];
  capped: boolean;
}

export interface ClaimPlan {
  claims: GroupClaim[];
  changes: QueueChange[];
  /** Groups with idle owners that nobody could take over from, and why. */
  stuck: string[];
}

const where = (g: ClaimGroup): string => `${g.stream}/${g.group}`;

function planGroup(broker: string, g: ClaimGroup, minIdleMs: number): { claim: GroupClaim; changes: QueueChange[] } | string | null {
  const idle = g.consumers.filter((c) => c.idleMs > minIdleMs && c.pending > 0);
  if (idle.length === 0) return null;
  // Fewest pending first, then by name, so the same read gives the same plan.
  const claimer = g.consumers.filter((c) => c.idleMs <= minIdleMs).sort((a, b) => a.pending - b.pending || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
  if (!claimer) return `${where(g)}: every consumer is idle over ${minIdleMs / 1000} s (${idle.map((c) => `${c.name} ${c.pending} pending`).join(', ')}): no live consumer to claim for`;
  const taken = (name: string): number => (name === claimer.name ? 0 : (g.idleEntries[name] ?? 0));
  const entries = g.consumers.reduce((sum, c) => sum + taken(c.name), 0);
  if (entries === 0) return null;
  const changes = g.consumers.flatMap((c) => {
    const after = c.name === claimer.name ? c.pending + entries : c.pending - taken(c.name);
    return after === c.pending ? [] : [{ broker, stream: g.stream, group: g.group, consumer: c.name, before: c.pending, after }];
  });
  return { claim: { broker, stream: g.stream, group: g.group, claimer: claimer.name, minIdleMs, entries, idle: idle.map((c) => c.name), capped: g.capped }, changes };
}

/** Every group of every broker read; `reads` maps broker host id to what it answered. */
export function planClaims(reads: ReadonlyMap<string, ClaimRead>, minIdleMs: number): ClaimPlan {
  const plan: ClaimPlan = { claims: [], changes: [], stuck: [] };
  for (const [broker, read] of reads) {
    for (const g of read.groups) {
      const r = planGroup(broker, g, minIdleMs);
      if (typeof r === 'string') plan.stuck.push(`${broker} ${r}`);
      else if (r) {
        plan.claims.push(r.claim);
        plan.changes.push(...r.changes);
      }
    }
  }
  return plan;
}
