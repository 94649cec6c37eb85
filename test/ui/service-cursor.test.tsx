// The cursor of the service panes: it stops on every line that names an
// item, skips table headers, scrolls the pane to stay in view, and Enter
// opens the item's detail; Esc comes back to the same line.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { layoutServices } from '../../src/ui/panes/service-stops.js';
import { itemLine } from '../../src/ui/widgets/styled-lines.js';
import { T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { haproxyUpdate, serviceStore, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const LB1: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const LB2: ServiceDecl = { kind: 'haproxy', key: 'lb02', candidates: ['lb02'] };

async function haView(rows: number, columns = 100) {
  const store = serviceStore([LB1, LB2]);
  store.getState().applyServiceUpdates([haproxyUpdate(LB1, 'show-stat-down.csv'), haproxyUpdate(LB2, 'show-stat-drain-maint.csv', T0 - 60_000)], []);
  const m = mount(store, { viewName: 'ha', size: { columns, rows } });
  await tick();
  await press(m, KEYS.tab);
  return m;
}

const cursorLine = (m: ReturnType<typeof mount>) => screen(m).split('\n').find((l) => /[│┃]>/.test(l)) ?? '';

describe('service pane cursor', () => {
  test('starts on the service, moves over items (not headers), highlighted only when focused', async () => {
    const m = await haView(40);
    expect(cursorLine(m)).toMatch(/>lb01 via socat unix socket/);
    await press(m, 'j', 'j', 'j');
    expect(cursorLine(m)).toMatch(/>HAProxy 2\.6/);
    await press(m, 'j');
    // The FRONTEND header is skipped.
    expect(cursorLine(m)).toMatch(/>web\s+OPEN/);
    await press(m, KEYS.down, KEYS.down);
    expect(cursorLine(m)).toMatch(/>\s*web1\s+DOWN/);
    await press(m, KEYS.up);
    expect(cursorLine(m)).toMatch(/>app\s+UP/);
    await press(m, KEYS.tab);
    expect(cursorLine(m)).toBe('');
  });

  test('the pane scrolls to keep the cursor in view; G reaches the second LB, g the first', async () => {
    const m = await haView(38);
    expect(screen(m)).toMatch(/HAProxy ━+ 1-\d+\/\d+ /);
    expect(screen(m)).not.toContain('lb02 via');
    await press(m, 'G');
    expect(cursorLine(m)).toMatch(/>\s*none1\s+MAINT/);
    expect(screen(m)).toContain('lb02 via');
    expect(screen(m)).not.toContain('lb01 via');
    await press(m, 'g');
    expect(cursorLine(m)).toMatch(/>lb01 via/);
    expect(screen(m)).toMatch(/HAProxy ━+ 1-\d+\/\d+ /);
    expect(screen(m).split('\n').at(-1)).toMatch(/^j\/k move {2}⏎ detail/);
  });

  test('enter opens the item under the cursor, esc comes back to it', async () => {
    const m = await haView(40);
    await press(m, 'j', 'j', 'j', 'j', 'j', 'j');
    expect(cursorLine(m)).toMatch(/>\s*web1\s+DOWN/);
    await press(m, KEYS.enter);
    expect(screen(m)).toMatch(/┏━ HAProxy lb01 · server app\/web1 /);
    expect(screen(m).split('\n').at(-1)).toMatch(/^j\/k scroll {2}esc back/);
    await press(m, KEYS.escape);
    expect(screen(m)).toMatch(/┏━ HAProxy/);
    expect(cursorLine(m)).toMatch(/>\s*web1\s+DOWN/);
  });

  test('enter on the service line opens the service as a whole', async () => {
    const m = await haView(40);
    await press(m, KEYS.enter);
    expect(screen(m)).toMatch(/┏━ HAProxy lb01 · load balancer /);
    expect(screen(m)).toMatch(/FRONTENDS\s+│\n.*web\s+OPEN 0\/9983 sessions/);
  });
});

test('? names what enter opens', async () => {
  const m = await haView(40, 160);
  await press(m, '?');
  expect(screen(m)).toMatch(/enter\s+open the detail \(host, server, node, member, queue, event\)/);
});

describe('layoutServices', () => {
  test('stops in service order across columns; a stop reaches to the line before the next one', () => {
    const a = [itemLine('', [{ text: ' a' }]), [{ text: ' HEADER' }], itemLine('x:1', [{ text: ' one' }]), [{ text: '   more of one' }]];
    const b = [itemLine('', [{ text: ' b' }]), itemLine('x:1', [{ text: ' one' }]), itemLine('x:1', [{ text: ' one again' }])];
    const stacked = layoutServices([{ serviceId: 's:a', lines: a }, { serviceId: 's:b', lines: b }], 1);
    expect(stacked.rows).toBe(8);
    expect(stacked.stops.map((s) => [s.item, s.row, s.lastRow, s.column])).toEqual([
      ['', 0, 1, 0],
      ['x:1', 2, 3, 0],
      ['', 5, 5, 0],
      ['x:1', 6, 6, 0],
      ['x:1', 7, 7, 0],
    ]);
    expect(new Set(stacked.stops.map((s) => s.id)).size).toBe(5);
    const side = layoutServices([{ serviceId: 's:a', lines: a }, { serviceId: 's:b', lines: b }], 2);
    expect(side.rows).toBe(4);
    expect(side.stops.map((s) => [s.row, s.column])).toEqual([[0, 0], [2, 0], [0, 1], [1, 1], [2, 1]]);
  });
});
