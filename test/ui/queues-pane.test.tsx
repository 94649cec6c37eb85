// The queues pane: real redis-cli captures for the figures, then a run of
// polls for the pane's own depth memory (sparkline, trend, growing).
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { queueLines } from '../../src/ui/panes/queue-lines.js';
import { sparkline } from '../../src/ui/widgets/sparkline.js';
import { deriveQueues } from '../../src/probes/queues/queue-trends.js';
import { listQueue, snapshotOf } from '../probes/queues/fixtures.js';
import { INTERVAL, T0 } from './fixtures.js';
import { mount, screen, tick } from './render-app.js';
import { CTX, queueSnapshot, serviceStore, snapshotUpdate, tokenOf, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const BROKER: ServiceDecl = { kind: 'queues', key: 'db01', candidates: ['db01'] };

describe('queues pane', () => {
  test('one row per queue from the real broker output: depth, pending/lag, consumers, oldest, errors', async () => {
    const store = serviceStore([BROKER]);
    store.getState().applyServiceUpdates([snapshotUpdate(BROKER, queueSnapshot('backlog', T0))], []);
    const m = mount(store, { viewName: 'queues', size: { columns: 100, rows: 30 } });
    await tick();
    const s = screen(m);
    expect(s).toContain('db01 · now');
    expect(s).toMatch(/QUEUE\s+DEPTH\s+HISTORY\s+PEND\/LAG\s+CONS\s+IN\/s\s+OUT\/s\s+DRAIN\s+TREND\s+OLDEST/);
    expect(s).toMatch(/orders\s+\d+ ▁?\S*\s+\d+\/\d+\s+2\s/);
    expect(s).toMatch(/jobs:dead \(dlq\)\s+\d+/);
    expect(s).toMatch(/no-such-stream\s+ERR/);
    expect(s).toContain('no-such-stream: XINFO STREAM: ERR no such key');
  });

  test('the pane remembers depths between polls: sparkline, trend, growing, alert marker', async () => {
    const store = serviceStore([BROKER]);
    const m = mount(store, { viewName: 'queues', size: { columns: 100, rows: 30 } });
    for (let i = 0; i < 7; i++) {
      const at = T0 - (6 - i) * INTERVAL;
      store.getState().applyServiceUpdates([snapshotUpdate(BROKER, snapshotOf(at, [listQueue('jobs', 100 * (i + 1)), listQueue('mail', 70 - 10 * i)]), at)], []);
      await tick();
    }
    const s = screen(m);
    expect(s).toMatch(/▲ jobs\s+700 ▂▃▄▅▆▇█\s+–\s+–\s+≥50\s+≥0\.0\s+growing\s+\+50\/s/);
    expect(s).toMatch(/ {2}mail\s+10 █▇▆▅▄▃▂\s+–\s+–\s+≥0\.0\s+≥5\.0\s+2s\s+-5\.0\/s/);
  });

  test('alert markers and trend colours are tokens', () => {
    const history = new Map();
    let derived = deriveQueues(history, snapshotOf(T0, [listQueue('jobs', 5000)]));
    derived = deriveQueues(derived.history, snapshotOf(T0 + INTERVAL, [listQueue('jobs', 6000)]));
    const lines = queueLines(snapshotOf(T0 + INTERVAL, []), derived.queues, 'db01', CTX);
    expect(tokenOf(lines, '▲')).toBe('warn');
    expect(tokenOf(lines, 'growing')).toBe('warn');
  });

  test('sparkline scales from zero', () => {
    expect(sparkline([0, 0, 0], 8)).toBe('▁▁▁');
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toBe('▆▆▇█');
  });
});
