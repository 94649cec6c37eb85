import { cleanup } from 'ink-testing-library';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fleetStore } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

describe('status bar', () => {
  test('inventory, hosts up/total, data age, view, clock', async () => {
    const m = mount(fleetStore());
    await tick();
    const top = screen(m).split('\n')[0]!;
    expect(top).toMatch(/^ \d\d:\d\d:\d\d {2}baton {2}prod-eu up 5\/6 · data 1s ago · Overview$/);
    expect(top).not.toContain('READ-ONLY');
  });

  test('READ-ONLY badge with --read-only', async () => {
    const m = mount(fleetStore(20, { readOnly: true }));
    await tick();
    expect(screen(m).split('\n')[0]).toContain(' READ-ONLY ');
  });

  test('usable at 80x24: one line is left free for Ink', async () => {
    const m = mount(fleetStore(), { size: { columns: 80, rows: 24 } });
    await tick();
    const lines = screen(m).split('\n');
    expect(lines).toHaveLength(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines[1]).toMatch(/Hosts 6\/6.*Cluster load/);
    expect(screen(m)).toMatch(/up\s+web03\s+9\.50\s+95%/);
    expect(lines[22]).toMatch(/^j\/k move/);
  });
});

describe('views', () => {
  test('number keys and :view switch views; HA panes say not configured', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, '3');
    const ha = screen(m);
    expect(ha).toContain('High availability');
    for (const pane of ['Pacemaker', 'HAProxy', 'etcd', 'NGINX']) expect(ha).toMatch(new RegExp(`[─━] ${pane} [─━]`));
    expect(ha.match(/not configured/g)).toHaveLength(5);
    await press(m, '2');
    expect(screen(m)).toMatch(/STATE↓\s+HOST\s+ADDRESS/);
    await press(m, ':', ...'view deploy', KEYS.enter);
    expect(screen(m)).toContain('Deploy');
    await press(m, ':', ...'view nope', KEYS.enter);
    expect(screen(m)).toContain('unknown view "nope" — views: overview, hosts, ha, queues, deploy');
  });

  test('a user view from the config directory comes after the built-in ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-ui-'));
    mkdirSync(join(dir, 'views'));
    writeFileSync(join(dir, 'views', 'tiny.yaml'), 'title: Tiny\nrows:\n  - panes:\n      - pane: hosts\n        columns: [host, cpu]\n');
    const m = mount(fleetStore(), { configDir: dir });
    await tick();
    // Built in: 1-5, 6 (actions), 7 (incident), 8 (drill) and 9 (sync) take every number key.
    await press(m, ':', ...'view tiny', KEYS.enter);
    expect(screen(m)).toMatch(/HOST\s+CPU\s*│/);
  });

  test('a broken user file is reported with file and line, and the console still starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-ui-'));
    mkdirSync(join(dir, 'themes'));
    writeFileSync(join(dir, 'themes', 'oops.yaml'), 'tokens:\n  text: [\n');
    const m = mount(fleetStore(), { configDir: dir, themeName: 'oops' });
    await tick();
    expect(screen(m)).toMatch(/2 config problems \(all listed on exit\): \/.*oops\.yaml:3: /);
    expect(m.app.problems.map((p) => p.file)).toEqual([join(dir, 'themes', 'oops.yaml'), '--theme']);
    expect(m.app.ui.getState().theme).toBe('dark');
    await press(m, 'j');
    expect(screen(m)).toContain('j/k move');
  });
});

describe('keys', () => {
  test('? shows every key, any key closes it', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, '?');
    const help = screen(m);
    expect(help).toMatch(/Help.*any key closes/);
    expect(help).toMatch(/q C-c\s+quit/);
    expect(help).toMatch(/:theme NAME/);
    expect(help).toMatch(/3\s+High availability \(:view ha\)/);
    await press(m, KEYS.escape);
    expect(screen(m)).toContain('Hosts 6/6');
  });

  test('? on a small terminal: columns stay readable and the rest goes on pages (space turns, any other key closes)', async () => {
    const m = mount(fleetStore(), { size: { columns: 80, rows: 24 } });
    await tick();
    await press(m, '?');
    const first = screen(m);
    expect(first).toMatch(/page 1\/\d · space next · any other key closes/);
    expect(first).toMatch(/:\s+command palette/);
    await press(m, ' ');
    expect(screen(m)).toMatch(/page 2\/\d/);
    await press(m, 'x');
    expect(screen(m)).toContain('Hosts 6/6');
  });

  test('rebound keys work and show in the help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-ui-'));
    writeFileSync(join(dir, 'keys.yaml'), 'down: n\nhelp: h\n');
    const m = mount(fleetStore(), { configDir: dir });
    await tick();
    await press(m, 'n');
    expect(screen(m)).toMatch(/│>.up\s+web02/);
    await press(m, 'j');
    expect(screen(m)).toMatch(/│>.up\s+web02/);
    await press(m, 'h');
    expect(screen(m)).toMatch(/ n\s+move down/);
  });

  test('r refreshes now', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, 'r');
    expect(m.counters.refreshes).toBe(1);
    expect(screen(m)).toContain('refresh requested');
  });

  test('q and ctrl+c quit', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, 'q');
    expect(m.counters.quits).toBe(1);
    const n = mount(fleetStore());
    await tick();
    await press(n, KEYS.ctrlC);
    expect(n.counters.quits).toBe(1);
  });

  test('q asks first while an action runs', async () => {
    const m = mount(fleetStore(), { isActionRunning: () => true });
    await tick();
    await press(m, 'q');
    expect(screen(m)).toContain('An action is still running. Quit anyway? [y/N]');
    await press(m, 'n');
    expect(m.counters.quits).toBe(0);
    expect(screen(m)).toContain('j/k move');
    await press(m, 'q', 'y');
    expect(m.counters.quits).toBe(1);
  });

  test(':theme switches themes, completion included', async () => {
    const m = mount(fleetStore());
    await tick();
    await press(m, ':', 't', 'h', KEYS.tab);
    expect(screen(m)).toMatch(/:theme \s+colour-blind\s+dark\s+high-contrast\s+light\s+monochrome/);
    await press(m, 'm', 'o', KEYS.tab, KEYS.enter);
    expect(m.app.ui.getState().theme).toBe('monochrome');
    await press(m, ':', ...'theme nope', KEYS.enter);
    expect(screen(m)).toContain('unknown theme "nope"');
  });

  test('without colour the monochrome theme is used', async () => {
    const m = mount(fleetStore(), { colour: false });
    await tick();
    expect(m.app.ui.getState().theme).toBe('monochrome');
    // The cursor is a character too, not only a colour.
    expect(screen(m)).toMatch(/│>.up\s+web01/);
  });
});

describe('terminal size', () => {
  test('a resize re-lays out at once, after the screen is wiped', async () => {
    let wipes = 0;
    const m = mount(fleetStore(), { size: undefined, onBeforeResize: () => wipes++ });
    await tick();
    // ink-testing-library's stdout has no rows: 24 is assumed, one left free.
    expect(screen(m).split('\n')).toHaveLength(23);
    Object.defineProperty(m.stdout, 'rows', { value: 16, configurable: true });
    m.stdout.emit('resize');
    await tick();
    expect(wipes).toBe(1);
    expect(screen(m).split('\n')).toHaveLength(15);
    m.stdout.emit('resize');
    await tick();
    expect(wipes).toBe(1);
  });
});
