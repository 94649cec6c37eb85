import { cleanup } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { createBatonStore } from '../../src/store/store.js';
import { FLEET, fleetStore, inventory } from './fixtures.js';
import { mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

const TALL = { columns: 100, rows: 44 };

test('shows the capacity-aware target, its band and the hosts outside it', async () => {
  const m = mount(fleetStore(), { size: TALL });
  await tick(50);
  const text = screen(m);
  expect(text).toMatch(/target 58% ±10 \(48%–68%\) · 5 hosts/);
  expect(text).toMatch(/│ over web03 90%/);
  expect(text).toMatch(/│ under web01 45% web02 48%/);
});

test('draws the blessed-contrib line chart (braille) and group bars off screen', async () => {
  const m = mount(fleetStore(40), { size: TALL });
  await tick(50);
  const text = screen(m);
  expect(text).toMatch(/[\u2801-\u28ff]{10,}/);
  expect(text).toMatch(/-\d+s/);
  expect(text).toMatch(/━ fleet cpu\s+━ fleet load\s+━ web01 cpu/);
  expect(text).toMatch(/█+/);
  expect(text).toMatch(/│\s+db\s+web\s+│/);
});

test('the chart follows the host under the hosts cursor', async () => {
  const m = mount(fleetStore(40), { size: TALL });
  await tick(50);
  await press(m, 'j', 'j');
  // It waits for the cursor to rest before redrawing.
  expect(screen(m)).toContain('━ web01 cpu');
  await tick(300);
  expect(screen(m)).toContain('━ web03 cpu');
});

test('says so before any host reports', async () => {
  const m = mount(createBatonStore(inventory(FLEET)));
  await tick();
  expect(screen(m)).toContain('no host reporting load yet');
  expect(screen(m)).toContain('collecting history');
  expect(screen(m)).toContain('no data yet');
});
