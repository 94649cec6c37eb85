// The queue detail: the depth and in/out rate history charts from the
// console's queue book, the real broker's consumer groups, alerts and
// events of that queue; and the book itself.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { queueChartData } from '../../src/ui/panes/queue-chart-data.js';
import { QueueBook, SERIES_LIMIT } from '../../src/ui/state/queue-book.js';
import { createBatonStore } from '../../src/store/store.js';
import { listQueue, snapshotOf } from '../probes/queues/fixtures.js';
import { FLEET, INTERVAL, inventory, T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { queueSnapshot, serviceStore, snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const BROKER: ServiceDecl = { kind: 'queues', key: 'db01', candidates: ['db01'] };
const detail = (item: string) => ({ kind: 'queues' as const, serviceId: 'queues:db01', item });

/** The queues view with `polls` list snapshots applied after mounting (the book records from the start). */
async function queuesView(polls: number, size = { columns: 80, rows: 24 }) {
  const store = serviceStore([BROKER]);
  const m = mount(store, { viewName: 'queues', size });
  for (let i = 0; i < polls; i++) {
    const at = T0 - (polls - 1 - i) * INTERVAL;
    store.getState().applyServiceUpdates([snapshotUpdate(BROKER, snapshotOf(at, [listQueue('jobs', 100 * (i + 1)), listQueue('mail', 5)]), at)], []);
    await tick();
  }
  return { m, store };
}

describe('queue detail', () => {
  test('enter on a queue row: depth and rate charts with a legend, figures, trend, alerts; at 80x24', async () => {
    const { m } = await queuesView(7);
    await press(m, 'j', KEYS.enter);
    await tick(50);
    const s = screen(m);
    const lines = s.split('\n');
    expect(lines).toHaveLength(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(s).toMatch(/┏━ Queues db01 · queue jobs /);
    // Braille dots of two charts, their time axis and legend.
    expect(s).toMatch(/[⠁-⣿]/);
    expect(s).toMatch(/-12s.*-12s/);
    expect(s).toMatch(/━ depth \(max 700\) {2}━ in\/s {2}━ out\/s \(max 50\/s\)/);
    expect(s).toMatch(/depth\s+700 \(\+100 since the last poll\)/);
    expect(s).toMatch(/in\s+≥50\/s \(lower bound\)/);
    await press(m, 'G');
    expect(screen(m)).toMatch(/trend\s+\+50\/s · grew 6 polls in a row/);
    expect(screen(m)).toMatch(/drain\s+growing/);
    expect(screen(m)).toMatch(/consumers\s+not known: nobody registers to pop a list/);
    expect(screen(m)).toMatch(/ALERTS\s+│\n.*▲ jobs: grew for 6 polls in a row \(now 700\)/);
    await press(m, KEYS.escape);
    expect(screen(m)).toMatch(/┏━ Queues ━/);
  });

  test('a stream from the real broker: groups with consumers, pending and idle time; its events only', async () => {
    const store = serviceStore([BROKER]);
    const m = mount(store, { viewName: 'queues', size: { columns: 100, rows: 60 } });
    await tick();
    store.getState().applyServiceUpdates([snapshotUpdate(BROKER, queueSnapshot('steady', T0 - INTERVAL), T0 - INTERVAL)], []);
    store.getState().applyServiceUpdates([snapshotUpdate(BROKER, queueSnapshot('backlog', T0), T0)], [
      { at: T0, hostId: 'db01', source: 'queues', severity: 'warn', message: 'db01: orders: 80 waiting (over 10)' },
      { at: T0, hostId: 'db01', source: 'queues', severity: 'warn', message: 'db01: jobs: grew for 5 polls in a row (now 79)' },
    ]);
    m.app.ui.getState().openServiceDetail(detail('queue:orders'));
    await tick(50);
    const s = screen(m);
    expect(s).toMatch(/queue\s+orders · stream on redis/);
    expect(s).toMatch(/depth\s+80/);
    expect(s).toMatch(/backlog\s+pending 1 · lag 79 · slowest group workers · last delivered 1795319544550-0/);
    expect(s).toMatch(/group\s+workers · 2 consumers · pending 1 · lag 79 · oldest unacked 0s/);
    expect(s).toMatch(/worker-1\s+pending 1\s+idle 4s/);
    expect(s).toMatch(/worker-2\s+pending 0\s+idle 4s/);
    expect(s).toMatch(/EVENTS\s+│\n.*orders: 80 waiting/);
    expect(s).not.toContain('jobs: grew');
  });

  test('the broker as a whole: every queue with its drain state, all alerts; no chart', async () => {
    const { m } = await queuesView(3, { columns: 100, rows: 40 });
    await press(m, KEYS.enter);
    await tick(50);
    expect(screen(m)).toMatch(/┏━ Queues db01 · broker /);
    expect(screen(m)).toMatch(/jobs\s+300 list · growing/);
    expect(screen(m)).toMatch(/mail\s+5 list · flat/);
    expect(screen(m)).not.toMatch(/━ depth/);
  });

  test('one poll: the chart waits for a second', async () => {
    const { m } = await queuesView(1);
    m.app.ui.getState().openServiceDetail(detail('queue:jobs'));
    await tick(50);
    expect(screen(m)).toContain('collecting history… (1 poll so far, the chart needs 2)');
  });
});

describe('queue book and chart data', () => {
  const at = (i: number) => T0 + i * INTERVAL;
  const store = () => createBatonStore(inventory(FLEET), { now: () => T0, services: [BROKER] });

  test('records each snapshot once, derives plain snapshots, bounds and prunes its series', () => {
    const s = store();
    const book = new QueueBook();
    for (let i = 0; i < SERIES_LIMIT + 5; i++) {
      s.getState().applyServiceUpdates([snapshotUpdate(BROKER, snapshotOf(at(i), [listQueue('jobs', i), ...(i < 3 ? [listQueue('old', 1)] : [])]), at(i))], []);
      book.record(s.getState().services);
      book.record({ ...s.getState().services });
    }
    const points = book.series('queues:db01', 'jobs');
    expect(points).toHaveLength(SERIES_LIMIT);
    expect(points.at(-1)).toEqual({ at: at(SERIES_LIMIT + 4), depth: SERIES_LIMIT + 4, inRate: 0.5, outRate: 0 });
    expect(book.series('queues:db01', 'old')).toHaveLength(0);
    expect(book.queues('queues:db01')?.[0]?.trend).toBeCloseTo(0.5);
  });

  test('chart data: time labels back from now, gaps filled, unmeasured rates left out', () => {
    const data = queueChartData(
      [
        { at: at(0), depth: 10, inRate: null, outRate: null },
        { at: at(1), depth: null, inRate: 2, outRate: null },
        { at: at(2), depth: 30, inRate: 4.2, outRate: null },
      ],
      60,
    );
    expect(data).toEqual({ labels: ['-4s', '-2s', 'now'], depth: [10, 10, 30], rates: [{ title: 'in/s', values: [2, 2, 4.2] }], maxDepth: 30, maxRate: 5 });
    expect(queueChartData([{ at: at(0), depth: 1, inRate: null, outRate: null }], 60)).toBeUndefined();
  });
});
