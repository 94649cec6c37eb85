// The single executable for bastions: `npm run package`'s file, copied alone
// into an empty directory (no node_modules, no package beside it, a fresh
// HOME), watches a real sshd fleet with --once --json.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';

const ROOT = join(import.meta.dirname, '../..');
const NAME = `baton-${process.platform}-${process.arch}`;
const dir = mkdtempSync(join(tmpdir(), 'baton-sea-test-'));
const binary = join(dir, NAME);
const env = { PATH: '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' };
let fleet: Fleet;

beforeAll(async () => {
  // The packaging step alone (dist/ is built by npm test): about 15 s here.
  execFileSync(process.execPath, [join(ROOT, 'scripts/package-sea.mjs')], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  copyFileSync(join(ROOT, 'dist', NAME), binary);
  fleet = await startFleet({ hosts: 2, perProcess: 1, firstAddress: '127.0.8.1' });
  writeFileSync(join(dir, 'fleet.yaml'), fleet.inventoryYaml());
}, 150_000);
afterAll(async () => {
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('runs --once --json against an sshd fleet from an empty directory', () => {
  const r = spawnSync(binary, ['--once', '--json', '-i', join(dir, 'fleet.yaml'), '--known-hosts', fleet.knownHostsFile], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const snap = JSON.parse(r.stdout) as { version: number; summary: unknown; hosts: { address: string; state: string; metrics: { uptimeSeconds: unknown } }[] };
  expect(snap.version).toBe(1);
  expect(snap.summary).toEqual({ hosts: 2, up: 2 });
  expect(snap.hosts.map((h) => h.address)).toEqual(['127.0.8.1', '127.0.8.2']);
  for (const h of snap.hosts) expect(typeof h.metrics.uptimeSeconds).toBe('number');
});

it('carries its version, views and themes inside', () => {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  expect(execFileSync(binary, ['--version'], { cwd: dir, env, encoding: 'utf8' }).trim()).toBe(version);
  expect(execFileSync(binary, ['__complete', 'views'], { cwd: dir, env, encoding: 'utf8' }).split('\n')).toContain('overview');
  expect(execFileSync(binary, ['__complete', 'themes'], { cwd: dir, env, encoding: 'utf8' }).split('\n')).toContain('high-contrast');
});
