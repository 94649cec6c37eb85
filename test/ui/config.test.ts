import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chooseStart, loadConsoleConfig, terminalHasColour } from '../../src/ui/config/load-console-config.js';
import { formatProblem } from '../../src/ui/config/yaml-file.js';
import { DEFAULT_BINDINGS } from '../../src/ui/keymap/keymap.js';

function userDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ui-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('shipped views and themes', () => {
  const config = loadConsoleConfig(userDir({}));

  test('all load without a problem', () => {
    expect(config.problems.map(formatProblem)).toEqual([]);
    expect(config.views.map((v) => v.name)).toEqual(['overview', 'hosts', 'ha', 'queues', 'deploy', 'actions', 'incident', 'drill', 'sync', 'network', 'alerts', 'databases']);
    expect([...config.themes.keys()].sort()).toEqual(['colour-blind', 'dark', 'high-contrast', 'light', 'monochrome']);
  });

  test('monochrome uses no colour at all', () => {
    const mono = config.themes.get('monochrome')!;
    for (const style of [...Object.values(mono.tokens), ...mono.series]) {
      expect(style.color).toBeUndefined();
      expect(style.backgroundColor).toBeUndefined();
    }
  });
});

describe('user files', () => {
  test('a user view is added after the shipped ones and may replace one', () => {
    const dir = userDir({
      'views/mine.yaml': 'rows:\n  - panes:\n      - pane: hosts\n        columns: [host, cpu]\n',
      'views/hosts.yaml': 'title: My hosts\norder: 2\nrows:\n  - panes: [{ pane: events }]\n',
    });
    const config = loadConsoleConfig(dir);
    expect(config.problems).toEqual([]);
    expect(config.views.map((v) => v.name)).toEqual(['overview', 'hosts', 'ha', 'queues', 'deploy', 'actions', 'incident', 'drill', 'sync', 'network', 'alerts', 'databases', 'mine']);
    expect(config.views[1]!.title).toBe('My hosts');
    expect(config.views.at(-1)!.rows[0]!.panes[0]).toMatchObject({ pane: 'hosts', weight: 1, columns: ['host', 'cpu'] });
  });

  test('an invalid view is reported with file and line and skipped', () => {
    const dir = userDir({ 'views/bad.yaml': 'title: Bad\nrows:\n  - panes:\n      - pane: hosts\n        columns: [host, cpuu]\n' });
    const config = loadConsoleConfig(dir);
    expect(config.views.map((v) => v.name)).not.toContain('bad');
    expect(config.problems).toHaveLength(1);
    const p = config.problems[0]!;
    expect(p.file).toBe(join(dir, 'views/bad.yaml'));
    expect(p.line).toBe(5);
    expect(p.message).toMatch(/rows\.0\.panes\.0\.columns\.1: unknown column "cpuu"/);
  });

  test('YAML syntax errors and unknown keys carry a line too', () => {
    const tokens = 'tokens:\n  text: white\n  muted: grey\n  border: gray\n  focus: cyan\n  ok: green\n  warn: orange\n  crit: red\n  unknown: magenta\n  selection: { bg: blue }\n';
    const dir = userDir({
      'themes/broken.yaml': 'tokens: [\n',
      'themes/colour.yaml': `${tokens}series: [red]\n`,
      'themes/typo.yaml': `${tokens.replace('orange', 'yellow')}serie: [red]\n`,
    });
    const problems = loadConsoleConfig(dir).problems;
    expect(problems.map((p) => [p.file.split('/').pop(), p.line])).toEqual([
      ['broken.yaml', 2],
      ['colour.yaml', 7],
      ['typo.yaml', 11],
    ]);
    expect(problems[1]!.message).toMatch(/tokens\.warn: expected a colour/);
    expect(formatProblem(problems[2]!)).toMatch(/typo\.yaml:11: .*serie/);
  });

  test('keys.yaml rebinds actions and takes the key away from its default action', () => {
    const config = loadConsoleConfig(userDir({ 'keys.yaml': 'refresh: [R, ctrl+r]\nquit: x\ndown: [j, down, n]\n' }));
    expect(config.problems).toEqual([]);
    expect(config.keymap.byKey.get('R')).toBe('refresh');
    expect(config.keymap.byKey.get('r')).toBeUndefined();
    expect(config.keymap.byKey.get('x')).toBe('quit');
    expect(config.keymap.byKey.get('q')).toBeUndefined();
    expect(config.keymap.byKey.get('n')).toBe('down');
    expect(config.keymap.bindings.up).toEqual(DEFAULT_BINDINGS.up);
  });

  test('an invalid keys.yaml falls back to the default keys', () => {
    const config = loadConsoleConfig(userDir({ 'keys.yaml': 'refresh: r\nfly: f\n' }));
    expect(config.problems[0]).toMatchObject({ line: 2 });
    expect(config.problems[0]!.message).toMatch(/fly.*default keys used/);
    expect(config.keymap.byKey.get('q')).toBe('quit');
    const digits = loadConsoleConfig(userDir({ 'keys.yaml': 'refresh: "5"\n' }));
    expect(digits.problems[0]!.message).toMatch(/1-9 switch views/);
  });
});

describe('start choice', () => {
  const config = loadConsoleConfig(userDir({}));

  test('unknown --view and --theme fall back, with a problem', () => {
    const start = chooseStart(config, { viewName: 'nope', themeName: 'neon', colour: true });
    expect(start).toMatchObject({ view: 'overview', theme: 'dark' });
    expect(start.problems.map((p) => p.file)).toEqual(['--view', '--theme']);
  });

  test('no colour means monochrome unless a theme is asked for', () => {
    expect(chooseStart(config, { colour: false }).theme).toBe('monochrome');
    expect(chooseStart(config, { colour: false, themeName: 'light' }).theme).toBe('light');
    expect(chooseStart(config, { colour: true }).theme).toBe('dark');
  });

  test('NO_COLOR and TERM=dumb turn colour off', () => {
    expect(terminalHasColour({}, { NO_COLOR: '1' })).toBe(false);
    expect(terminalHasColour({}, { NO_COLOR: '' })).toBe(true);
    expect(terminalHasColour({}, { TERM: 'dumb' })).toBe(false);
    expect(terminalHasColour({ hasColors: () => false }, {})).toBe(false);
  });
});
