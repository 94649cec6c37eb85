import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { fleetStore, INTERVAL, T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

/** Host ids in the hosts table, top to bottom. */
function hostRows(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^│[> ][* ](?:up|unreachable|stale|connecting)\s+(\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1]!);
}

const cursorHost = (text: string) => /│>.\S+\s+(\S+)/.exec(text)?.[1];

describe('hosts pane', () => {
  test('shows state badges, metrics and threshold-coloured cells', async () => {
    const m = mount(fleetStore());
    await tick();
    const text = screen(m);
    expect(text).toContain('Hosts 6/6');
    expect(text).toMatch(/unreachable lb01/);
    expect(text).toMatch(/up\s+web03\s+9\.50\s+95%\s+85%\s+91%/);
    expect(hostRows(text)).toEqual(['web01', 'web02', 'web03', 'db01', 'db02', 'lb01']);
  });

  test('j/k, arrows, G and g move the cursor', async () => {
    const m = mount(fleetStore());
    await tick();
    expect(cursorHost(screen(m))).toBe('web01');
    await press(m, 'j', KEYS.down);
    expect(cursorHost(screen(m))).toBe('web03');
    await press(m, 'k');
    expect(cursorHost(screen(m))).toBe('web02');
    await press(m, 'G');
    expect(cursorHost(screen(m))).toBe('lb01');
    await press(m, 'g');
    expect(cursorHost(screen(m))).toBe('web01');
  });

  test('s cycles the sort column, S reverses it, the cursor keeps its host', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, 'j', 'j');
    await press(m, 's');
    expect(screen(m)).toContain('STATE↓');
    expect(hostRows(screen(m))[0]).toBe('lb01');
    expect(cursorHost(screen(m))).toBe('web03');
    await press(m, 's', 's', 's');
    expect(screen(m)).toContain('CPU↓');
    expect(hostRows(screen(m))).toEqual(['web03', 'db02', 'db01', 'web02', 'web01', 'lb01']);
    await press(m, 'S');
    expect(screen(m)).toContain('CPU↑');
    expect(hostRows(screen(m))).toEqual(['lb01', 'web01', 'web02', 'db01', 'db02', 'web03']);
  });

  test('/ filters live: regex, !, tag=value, state=', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, '/', 'w', 'e', 'b');
    expect(hostRows(screen(m))).toEqual(['web01', 'web02', 'web03']);
    expect(screen(m)).toContain('Hosts 3/6');
    await press(m, KEYS.enter);
    expect(screen(m)).toContain('/web');
    await press(m, '/', KEYS.backspace, KEYS.backspace, KEYS.backspace, '!', 'w', 'e', 'b', ' ', 'e', 'n', 'v', '=', 'p', 'r', 'o', 'd', KEYS.enter);
    expect(hostRows(screen(m))).toEqual(['db01', 'db02', 'lb01']);
    await press(m, '/', '\x15', ...'state=unreachable', KEYS.enter);
    expect(hostRows(screen(m))).toEqual(['lb01']);
    await press(m, KEYS.escape);
    expect(hostRows(screen(m))).toHaveLength(6);
  });

  test('esc while typing a filter restores the previous one', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, '/', 'd', 'b', KEYS.enter, '/', 'x', 'x');
    expect(hostRows(screen(m))).toEqual([]);
    expect(screen(m)).toContain('no host matches the filter');
    await press(m, KEYS.escape);
    expect(hostRows(screen(m))).toEqual(['db01', 'db02']);
  });

  test('a bad regex says so and matches literally', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, '/', 'w', '(');
    expect(screen(m)).toMatch(/invalid regex "w\(", matched literally/);
    expect(hostRows(screen(m))).toEqual([]);
  });

  test('space selects hosts (multi-select) and moves down', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, ' ', ' ');
    expect(screen(m)).toContain('2 selected');
    expect(screen(m)).toMatch(/│ \*up\s+web01/);
    expect(m.app.ui.getState().selected).toEqual(new Set(['web01', 'web02']));
    await press(m, 'k', ' ');
    expect(m.app.ui.getState().selected).toEqual(new Set(['web01']));
  });

  test('renders only the rows in view', async () => {
    const m = mount(fleetStore(), { size: { columns: 100, rows: 10 }, viewName: 'hosts' });
    await tick();
    expect(hostRows(screen(m))).toEqual(['lb01', 'web01', 'web02', 'web03']);
    await press(m, 'G');
    expect(hostRows(screen(m))).toEqual(['web02', 'web03', 'db01', 'db02']);
    expect(cursorHost(screen(m))).toBe('db02');
    await press(m, 'k', 'k', 'k', 'k');
    expect(hostRows(screen(m))).toEqual(['web01', 'web02', 'web03', 'db01']);
    await press(m, 'g', KEYS.pageDown);
    expect(cursorHost(screen(m))).toBe('db01');
  });

  test('data older than three poll intervals is marked stale', async () => {
    const m = mount(fleetStore(), { clock: () => T0 + 4 * INTERVAL });
    await tick();
    expect(hostRows(screen(m))).toEqual(['web01', 'web02', 'web03', 'db01', 'db02', 'lb01']);
    expect(screen(m).match(/│[> ] stale/g)).toHaveLength(5);
    expect(screen(m)).toMatch(/data 8s ago/);
    await press(m, '/', ...'state=stale', KEYS.enter);
    expect(hostRows(screen(m))).toHaveLength(5);
  });
});
