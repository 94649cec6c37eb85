// End to end: the built console in a real terminal (tmux) on an inventory
// whose names hold escapes: OSC 0 in the inventory name and a host's tag
// would retitle the pane, ESC c in a host name would reset the terminal.
// The pane keeps its title and its screen; the names show as ^[ text.
// The hosts refuse connections on 127.0.0.1:1: no fleet needed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TmuxPane } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-hostile-'));
let pane: TmuxPane;

beforeAll(() => {
  const inventory = join(dir, 'hostile.yaml');
  writeFileSync(
    inventory,
    ['name: "prod\\e]0;pwned\\a"', 'hosts:', '  "web\\ec01":', '    address: 127.0.0.1', '    port: 1', '    tags: { note: "x\\e]2;pwned\\ay" }', ''].join('\n'),
  );
  writeFileSync(join(dir, 'known_hosts'), '');
  pane = new TmuxPane(dir, 'baton-hostile');
  const cli = quote([process.execPath, CLI, '-i', inventory, '--known-hosts', join(dir, 'known_hosts')]);
  pane.start(`printf '\\033]2;before\\007'; env -u CI -u CONTINUOUS_INTEGRATION ${cli}; echo baton-exit=$?`, 100, 30);
});
afterAll(() => {
  pane?.kill();
  rmSync(dir, { recursive: true, force: true });
});

it('names with escapes neither retitle the pane nor reset the screen', async () => {
  await waitFor(() => /unreachable/.test(pane.screen()), 15_000, 'the host unreachable on screen');
  const screen = pane.screen();
  expect(screen).toContain('prod^[]0;pwned^G');
  expect(screen).toMatch(/unreachable +web\^\[c/);
  expect(screen).toContain('web^[c01');
  expect(pane.format('#{pane_title}')).toBe('before');
  expect(pane.format('#{alternate_on}')).toBe('1');
  pane.keys('q');
  await waitFor(() => pane.format('#{pane_dead}') === '1', 10_000, 'baton exited');
  expect(pane.screen(true)).toContain('baton-exit=0');
  expect(pane.format('#{pane_title}')).toBe('before');
});
