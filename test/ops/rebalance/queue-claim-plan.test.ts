// The queue lever's read parser and claim planner, on redis-cli output
// captured from a real redis-server 7.0 (test/fixtures/queues/claim/capture.sh),
// and the planner's properties over random groups.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planClaims } from '../../../src/ops/rebalance/queue-claim-plan.js';
import { parseClaimRead, type ClaimGroup, type ClaimRead } from '../../../src/ops/rebalance/queue-read.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/queues/claim', name), 'utf8');

function read(name: string): ClaimRead {
  const r = parseClaimRead(fixture(name));
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('queue lever: the read', () => {
  it.each(['read.json.txt', 'read.no-raw.txt'])('%s: consumers with pending and idle, idle entries per owner, the missing stream as an error', (name) => {
    const r = read(name);
    expect(r.groups).toHaveLength(1);
    const [g] = r.groups;
    expect(g).toMatchObject({ stream: 'orders', group: 'workers', idleEntries: { 'worker-1': 5, 'worker-2': 1 }, capped: false });
    expect(g!.consumers.map((c) => [c.name, c.pending])).toEqual([['worker-1', 5], ['worker-2', 2], ['worker-3', 0]]);
    expect(g!.consumers[0]!.idleMs).toBeGreaterThan(2000);
    expect(g!.consumers[2]!.idleMs).toBeLessThan(2000);
    expect(r.errors).toEqual(['gone: xinfo-groups: ERR no such key']);
  });

  it('reports what it cannot read instead of throwing', () => {
    expect(parseClaimRead('@@baton:none\nredis-cli is not installed')).toEqual({ error: 'redis-cli is not installed' });
    expect(parseClaimRead('garbage')).toMatchObject({ error: expect.stringMatching(/no @@baton:format line/) });
    const cut = fixture('read.json.txt').split('@@baton:cmd xpending-idle')[0]!;
    expect(parseClaimRead(cut)).toEqual({ groups: [], errors: ['the output was cut off: some streams may be missing', 'orders/workers: xpending-idle: no output (cut off)'] });
    const mangled = fixture('read.json.txt').replace('"pending":5', '"pending":"five"');
    expect(parseClaimRead(mangled)).toMatchObject({ groups: [], errors: expect.arrayContaining([expect.stringMatching(/orders\/workers: unreadable/)]) });
  });
});

describe('queue lever: the claim plan', () => {
  it('the live consumer with the fewest pending claims every idle entry; the counts match what the real XAUTOCLAIM left', () => {
    const plan = planClaims(new Map([['mq1', read('read.json.txt')]]), 2000);
    expect(plan.claims).toEqual([{ broker: 'mq1', stream: 'orders', group: 'workers', claimer: 'worker-3', minIdleMs: 2000, entries: 6, idle: ['worker-1'], capped: false }]);
    expect(plan.changes).toEqual([
      { broker: 'mq1', stream: 'orders', group: 'workers', consumer: 'worker-1', before: 5, after: 0 },
      { broker: 'mq1', stream: 'orders', group: 'workers', consumer: 'worker-2', before: 2, after: 1 },
      { broker: 'mq1', stream: 'orders', group: 'workers', consumer: 'worker-3', before: 0, after: 6 },
    ]);
    // The capture ran `XAUTOCLAIM orders workers worker-3 2000 0-0` between the two reads.
    const after = read('read-after.json.txt').groups[0]!.consumers;
    for (const c of plan.changes) expect(after.find((x) => x.name === c.consumer)!.pending).toBe(c.after);
    expect(fixture('xautoclaim.raw.txt').trim().split('\n')).toHaveLength(7);
  });

  it('plans nothing below the threshold, and says so when no consumer is live', () => {
    expect(planClaims(new Map([['mq1', read('read.json.txt')]]), 60_000)).toEqual({ claims: [], changes: [], stuck: [] });
    const r = read('read.json.txt');
    const allIdle: ClaimRead = { ...r, groups: r.groups.map((g) => ({ ...g, consumers: g.consumers.map((c) => ({ ...c, idleMs: 99_000 })) })) };
    expect(planClaims(new Map([['mq1', allIdle]]), 2000).stuck).toEqual(['mq1 orders/workers: every consumer is idle over 2 s (worker-1 5 pending, worker-2 2 pending): no live consumer to claim for']);
  });
});

const group = fc
  .array(fc.record({ pending: fc.nat(50), idleMs: fc.nat(10_000), idleShare: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 8 })
  .map((rows): ClaimGroup => ({
    stream: 's',
    group: 'g',
    consumers: rows.map((r, i) => ({ name: `c${i}`, pending: r.pending, idleMs: r.idleMs })),
    // An entry idle over the threshold belongs to someone; a consumer idle over it has all its entries idle over it.
    idleEntries: Object.fromEntries(rows.map((r, i) => [`c${i}`, r.idleMs > 5000 ? r.pending : Math.floor(r.pending * r.idleShare)])),
    capped: false,
  }));

describe('queue lever: properties', () => {
  it('keeps the group\'s pending total, empties idle owners, gives all to one live consumer with the fewest pending, deterministically', () => {
    fc.assert(
      fc.property(group, (g) => {
        const plan = planClaims(new Map([['b', { groups: [g], errors: [] }]]), 5000);
        expect(planClaims(new Map([['b', { groups: [structuredClone(g)], errors: [] }]]), 5000)).toEqual(plan);
        const idleOwners = g.consumers.filter((c) => c.idleMs > 5000 && c.pending > 0);
        const live = g.consumers.filter((c) => c.idleMs <= 5000);
        if (idleOwners.length === 0 || live.length === 0) {
          expect(plan.claims).toEqual([]);
          expect(plan.stuck).toHaveLength(idleOwners.length === 0 ? 0 : 1);
          return;
        }
        const [claim] = plan.claims;
        const claimer = g.consumers.find((c) => c.name === claim!.claimer)!;
        expect(claimer.idleMs).toBeLessThanOrEqual(5000);
        expect(claimer.pending).toBe(Math.min(...live.map((c) => c.pending)));
        const before = plan.changes.reduce((n, c) => n + c.before, 0);
        const after = plan.changes.reduce((n, c) => n + c.after, 0);
        expect(after).toBe(before);
        for (const c of plan.changes) {
          expect(c.after).toBeGreaterThanOrEqual(0);
          if (c.consumer !== claimer.name) expect(c.after).toBeLessThan(c.before);
        }
        for (const o of idleOwners) expect(plan.changes.find((c) => c.consumer === o.name)?.after ?? 0).toBe(0);
      }),
      { numRuns: 400 },
    );
  });
});
