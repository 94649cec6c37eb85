// Whatever a RabbitMQ host prints (garbage, output cut anywhere, JSON of the
// wrong shape), the parser returns a result: a parse error carries a raw
// snippet, and every number derivation and alerts make is finite or null.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueAlerts } from '../../../src/probes/queues/queue-alerts.js';
import { deriveQueues, type QueueHistory } from '../../../src/probes/queues/queue-trends.js';
import { parseRabbitQueues } from '../../../src/probes/queues/rabbitmq-queues.js';
import { nonFinitePaths } from '../host-fixtures.js';
import { LAB_CONFIG, ok, RABBIT_STATES, rabbitFixture, runProbe } from './rabbitmq-fixtures.js';

const CONFIG = { ...LAB_CONFIG, management: { url: 'http://127.0.3.5:15673', user: 'baton-monitor', passwordEnv: 'PW' } };
const outputs = RABBIT_STATES.flatMap((state) => [
  runProbe(LAB_CONFIG, ok(rabbitFixture(state, 'list-queues.json'))).output,
  runProbe(CONFIG, ok(rabbitFixture(state, 'api-queues.json')), { PW: 'x' }).output,
]);

function check(output: string): void {
  const r = parseRabbitQueues(output, 1_795_319_561_000, LAB_CONFIG);
  expect(['snapshot', 'parse-error']).toContain(r.kind);
  if (r.kind === 'parse-error') {
    expect(r.message).toMatch(/^rabbitmq: /);
    expect(r.message).not.toMatch(/parser failed/);
    expect(r.raw.length).toBeLessThanOrEqual(300);
    // The snippet is from the output, so the operator sees what came back:
    // line by line, as a section's body leaves out the marker lines inside it.
    if (output.length > 0) for (const line of r.raw.slice(0, 40).split('\n')) expect(output).toContain(line);
    return;
  }
  expect(nonFinitePaths(r.snapshot)).toEqual([]);
  let history: QueueHistory = new Map();
  for (const at of [0, 2000, 4000]) {
    const derived = deriveQueues(history, { ...r.snapshot, takenAt: r.snapshot.takenAt + at });
    history = derived.history;
    expect(nonFinitePaths(derived.queues)).toEqual([]);
    queueAlerts(derived.queues);
  }
}

const jsonish = fc.oneof(
  fc.string(),
  fc.constantFrom('[', ']', '{', '}', ',', '"name"', ':', 'null', '1e400', '-1', '"messages":', '"message_stats":{"publish":', 'NaN', '\n'),
  fc.constantFrom('@@baton:queues\n', '@@baton:stderr\n', '@@baton:exit 0\n', '@@baton:exit 69\n', '@@baton:source management\n', '@@baton:end\n'),
);

describe('parseRabbitQueues robustness', () => {
  it('never throws on random strings or marker-shaped lines', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), check), { numRuns: 300 });
    fc.assert(fc.property(fc.array(jsonish, { maxLength: 80 }), (parts) => check(parts.join(''))), { numRuns: 500 });
  });

  it('never throws on every real capture cut at any point', () => {
    for (const text of outputs) for (let cut = 0; cut <= text.length; cut += 5) check(text.slice(0, cut));
  });

  it('never throws on random JSON values in place of the queue list', () => {
    const frame = (json: string) => `@@baton:source rabbitmqctl\n@@baton:queues\n${json}\n@@baton:stderr\n\n@@baton:exit 0\n@@baton:end\n`;
    fc.assert(fc.property(fc.jsonValue(), (v) => check(frame(JSON.stringify(v)))), { numRuns: 300 });
    const entry = fc.record({ name: fc.oneof(fc.string(), fc.constant('orders')), messages: fc.jsonValue(), messages_ready: fc.jsonValue(), consumers: fc.jsonValue(), message_stats: fc.jsonValue(), state: fc.jsonValue() }, { requiredKeys: ['name'] });
    fc.assert(fc.property(fc.array(entry, { maxLength: 8 }), (list) => check(frame(JSON.stringify(list)))), { numRuns: 300 });
  });

  it('never throws on random mutations of real captures', () => {
    const mutation = fc.record({ which: fc.nat(), at: fc.nat(), cut: fc.integer({ min: 0, max: 40 }), text: jsonish });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => {
        let text = outputs[(ms[0]?.which ?? 0) % outputs.length]!;
        for (const m of ms) {
          const at = m.at % (text.length + 1);
          text = text.slice(0, at) + m.text + text.slice(at + m.cut);
        }
        check(text);
      }),
      { numRuns: 400 },
    );
  });
});
