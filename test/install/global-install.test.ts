// The packed tarball, installed as a new user would on npm 11 (install
// scripts blocked) and offline: it needs no dependency from the registry
// and no postinstall, and the Ink that runs is the patched one. The proof is
// a behaviour only the patch has: setTextFilter, through which the console
// shows an escape in a host name as ^[ text instead of sending it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TmuxPane } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

const ROOT = join(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'baton-install-'));
const prefix = join(dir, 'prefix');
const baton = join(prefix, 'bin', 'baton');
let pane: TmuxPane | undefined;

function npm(...args: string[]): string {
  return execFileSync('npm', [...args, '--cache', join(dir, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  // dist/ as `npm run build` left it (npm test builds first); prepack would rebuild it under running tests.
  const [packed] = JSON.parse(npm('pack', '--ignore-scripts', '--json', '--pack-destination', dir)) as { filename: string }[];
  npm('install', '--global', '--prefix', prefix, '--ignore-scripts', '--offline', join(dir, packed!.filename));
});
afterAll(() => {
  pane?.kill();
  rmSync(dir, { recursive: true, force: true });
});

it('installs with no dependency, its version and its man page', () => {
  const installed = join(prefix, 'lib', 'node_modules', 'baton');
  expect(existsSync(join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
  expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  expect(existsSync(join(prefix, 'share', 'man', 'man1', 'baton.1'))).toBe(true);
  expect(execFileSync(baton, ['--version'], { encoding: 'utf8', cwd: dir }).trim()).toBe(VERSION);
});

it('runs the patched Ink: an escape in a host name shows as ^[ text', async () => {
  const inventory = join(dir, 'hostile.yaml');
  writeFileSync(inventory, ['hosts:', '  "web\\ec01":', '    address: 127.0.0.1', '    port: 1', ''].join('\n'));
  writeFileSync(join(dir, 'known_hosts'), '');
  pane = new TmuxPane(dir, 'baton-installed');
  pane.start(`cd ${quote([dir])} && env -u CI -u CONTINUOUS_INTEGRATION ${quote([baton, '-i', inventory, '--known-hosts', join(dir, 'known_hosts')])}; echo baton-exit=$?`, 100, 30);
  await waitFor(() => /unreachable/.test(pane!.screen()), 15_000, 'the host unreachable on screen');
  expect(pane.screen()).toContain('web^[c01');
  pane.keys('q');
  await waitFor(() => pane!.format('#{pane_dead}') === '1', 10_000, 'baton exited');
  expect(pane.screen(true)).toContain('baton-exit=0');
});
