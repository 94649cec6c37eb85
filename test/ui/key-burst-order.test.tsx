import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { unstable_NormalPriority, unstable_scheduleCallback } from 'scheduler';
import { fleetStore } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

/** Keeps React's scheduler busy past its 5 ms slice, so it yields and posts the rest of its work to a later turn. */
function busyScheduler(ms: number): void {
  unstable_scheduleCallback(unstable_NormalPriority, () => {
    const end = Date.now() + ms;
    while (Date.now() < end);
  });
}

describe('keys that arrive in one read', () => {
  test('Enter then Escape in one read, while React is behind: the filter applies, then Escape clears it', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, '/', 'd', 'b');
    expect(screen(m)).toContain('Hosts 2/6');
    // A loaded machine: React still has work queued when the read comes in,
    // so the effects that swap the prompt's key handler for the table's run late.
    busyScheduler(20);
    m.stdin.write(`${KEYS.enter}${KEYS.escape}`);
    const deadline = Date.now() + 2000;
    while (!screen(m).includes('Hosts 6/6') && Date.now() < deadline) await tick(10);
    expect(screen(m)).toContain('Hosts 6/6');
    expect(screen(m)).not.toContain('regex · !negate');
  });
});
