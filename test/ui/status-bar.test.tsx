// The status bar's host count: a host whose link is up but whose data has
// gone stale is not counted as up (the hosts pane says "stale" for it).
import { cleanup } from 'ink-testing-library';
import { afterEach, expect, test } from 'vitest';
import { fleetStore, fleetUpdates, INTERVAL, T0 } from './fixtures.js';
import { mount, screen, tick } from './render-app.js';

afterEach(cleanup);

test('up counts the hosts that are up with fresh data, not the stale ones', async () => {
  const store = fleetStore();
  const later = T0 + 10 * INTERVAL;
  // Every host but web02 keeps answering; web02's link stays up, its data ages.
  store.getState().applyUpdates(fleetUpdates(later).filter((u) => u.hostId !== 'web02'));
  const m = mount(store, { clock: () => later + 1000 });
  await tick();
  const text = screen(m);
  expect(text).toMatch(/>? +stale +web02/);
  expect(text).toContain('up 4/6');
});
