// Whatever a broker host prints (garbage, a cut-off stream, a corrupted
// reply), the parser returns a result, and every number that derivation and
// alerts make from it is finite or null.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueAlerts, queueEvents } from '../../../src/probes/queues/queue-alerts.js';
import type { QueueSnapshot } from '../../../src/probes/queues/queue-types.js';
import { deriveQueues, type QueueHistory } from '../../../src/probes/queues/queue-trends.js';
import { parseRedisQueues } from '../../../src/probes/queues/redis-queues.js';
import { nonFinitePaths } from '../host-fixtures.js';
import { listQueue, parsed, PARSED_FORMS, probeOutput, snapshotOf, STATES } from './fixtures.js';

const outputs = STATES.flatMap((state) => PARSED_FORMS.map((form) => probeOutput(state, form)));
const reference = parsed(outputs[1]!, 1_795_319_560_000);

/** Parses, then derives and alerts around a real snapshot; all must stay finite. */
function check(output: string): void {
  const r = parseRedisQueues(output, 1_795_319_561_000);
  expect(['snapshot', 'parse-error']).toContain(r.kind);
  if (r.kind === 'parse-error') {
    expect(r.message.length).toBeGreaterThan(0);
    // Every failure is one the parser understood, never an exception it caught.
    expect(r.message).not.toMatch(/parser failed/);
    expect(r.raw.length).toBeLessThanOrEqual(300);
    return;
  }
  expect(nonFinitePaths(r.snapshot)).toEqual([]);
  let history: QueueHistory = new Map();
  let alerts = queueAlerts([]);
  for (const s of [reference, r.snapshot, { ...reference, takenAt: reference.takenAt + 2000 }]) {
    const derived = deriveQueues(history, s);
    history = derived.history;
    expect(nonFinitePaths(derived.queues)).toEqual([]);
    const next = queueAlerts(derived.queues);
    queueEvents(alerts, next);
    alerts = next;
  }
}

const noise = fc.oneof(
  fc.string(),
  fc.constantFrom('\n', '"', '\\', '\\x', '(nil)', '(integer) ', '(error) ', 'error:', ') ', '1) ', '  2) ', '{', '[', 'null', '-1', '9'.repeat(30), '1e308', 'NaN'),
  fc.constantFrom('@@baton:rc 0\n', '@@baton:rc 1\n', '@@baton:cmd llen\n', '@@baton:group workers\n', '@@baton:stream orders\n', '@@baton:end\n', '@@baton:none\n', '@@baton:discover\n', '@@baton:scan-rc 124\n'),
  fc.integer().map(String),
);

const mutation = fc.record({ at: fc.nat(), cut: fc.integer({ min: 0, max: 30 }), text: noise });

describe('parseRedisQueues robustness', () => {
  it('never throws on random strings or marker-shaped lines', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), check), { numRuns: 300 });
    const line = fc.oneof(noise, fc.constantFrom('@@baton:format json', '@@baton:format no-raw', '@@baton:list jobs', '@@baton:cmd xinfo-groups', '@@baton:cmd lindex-oldest'));
    fc.assert(fc.property(fc.array(line, { maxLength: 60 }), (lines) => check(lines.join('\n'))), { numRuns: 500 });
  });

  it('never throws on every real capture cut at any point', () => {
    for (const text of outputs) for (let cut = 0; cut <= text.length; cut += 7) check(text.slice(0, cut));
  });

  it('never throws on random mutations of real captures', () => {
    fc.assert(
      fc.property(fc.constantFrom(...outputs), fc.array(mutation, { minLength: 1, maxLength: 6 }), (text, mutations) => {
        check(mutations.reduce((acc, m) => acc.slice(0, m.at % (acc.length + 1)) + m.text + acc.slice((m.at % (acc.length + 1)) + m.cut), text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('deriveQueues numbers', () => {
  it('are finite or null for any depths and poll times, and drain times are never negative', () => {
    const poll = fc.record({ dt: fc.integer({ min: -5000, max: 60_000 }), depth: fc.option(fc.nat({ max: 1e9 }), { nil: null }), serverTime: fc.option(fc.nat({ max: 2e12 }), { nil: null }) });
    fc.assert(
      fc.property(fc.array(poll, { minLength: 1, maxLength: 40 }), (polls) => {
        let history: QueueHistory = new Map();
        let at = 0;
        for (const p of polls) {
          at += p.dt;
          const s: QueueSnapshot = snapshotOf(at, [listQueue('jobs', p.depth)], p.serverTime);
          const { queues, history: next } = deriveQueues(history, s);
          history = next;
          const [q] = queues;
          expect(nonFinitePaths(q)).toEqual([]);
          if (q!.timeToDrainSeconds !== null) expect(q!.timeToDrainSeconds).toBeGreaterThanOrEqual(0);
          expect(q!.drain === 'draining').toBe(q!.timeToDrainSeconds !== null && q!.depth !== 0);
          expect(q!.depthHistory.length).toBeLessThanOrEqual(30);
        }
      }),
      { numRuns: 300 },
    );
  });
});
