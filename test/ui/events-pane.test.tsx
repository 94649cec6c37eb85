import { cleanup } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { fleetStore, T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

const eventLines = (text: string) => text.split('\n').filter((l) => /^[│┃][> ] \d\d:\d\d:\d\d/.test(l));

test('newest first, with severity', async () => {
  const m = mount(fleetStore());
  await tick();
  const lines = eventLines(screen(m));
  expect(lines[0]).toMatch(/crit lb01\s+lb01 up -> unreachable: lb01: connection refused/);
  expect(lines.slice(1).every((l) => / info /.test(l))).toBe(true);
});

test('tab focuses the events pane; its filter and enter act on it', async () => {
  const m = mount(fleetStore());
  await tick();
  await press(m, KEYS.tab, KEYS.tab);
  expect(screen(m)).toMatch(/┏━ Events 7/);
  await press(m, '/', ...'severity=crit', KEYS.enter);
  expect(eventLines(screen(m))).toHaveLength(1);
  expect(screen(m)).toContain('Events 1');
  // The hosts pane keeps its own (empty) filter.
  expect(screen(m)).toContain('Hosts 6/6');
  await press(m, KEYS.enter);
  expect(screen(m)).toMatch(/┏━ lb01 /);
  await press(m, KEYS.escape);
  expect(screen(m)).toMatch(/┏━ Events 1/);
  await press(m, KEYS.escape);
  expect(screen(m)).toContain('Events 7');
});

test('shift-tab cycles focus backwards', async () => {
  const m = mount(fleetStore());
  await tick();
  await press(m, KEYS.shiftTab);
  expect(screen(m)).toMatch(/┏━ Events/);
  await press(m, KEYS.shiftTab);
  expect(screen(m)).toMatch(/┏━ Cluster load/);
});

test('new events appear at the top while the cursor stays on its event', async () => {
  const store = fleetStore();
  const m = mount(store);
  await tick();
  await press(m, KEYS.tab, KEYS.tab, 'j');
  const before = eventLines(screen(m)).find((l) => /^[│┃]>/.test(l));
  store.getState().addEvent({ at: T0 + 500, hostId: 'web01', source: 'host', severity: 'warn', message: 'web01 up -> timed-out' });
  await tick();
  const lines = eventLines(screen(m));
  expect(lines[0]).toMatch(/warn web01/);
  expect(lines.find((l) => /^[│┃]>/.test(l))).toBe(before);
});
