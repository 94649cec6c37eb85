// The built CLI, as scripts use it: `baton --once --json` against real sshd
// hosts, with the documented exit codes (0 all up, 2 some not, 1 bad input).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
let fleet: Fleet;
let inventory: string;

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, perProcess: 1 });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
});
afterAll(async () => {
  await fleet?.stop();
});

describe('baton --once --json', () => {
  it('prints the documented snapshot and exits 0 when every host is up', () => {
    const r = baton('--once', '--json', '-i', inventory, '--known-hosts', fleet.knownHostsFile);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as { version: number; summary: unknown; hosts: Array<Record<string, unknown> & { metrics: Record<string, unknown> }> };
    expect(snap.version).toBe(1);
    expect(snap.summary).toEqual({ hosts: 2, up: 2 });
    for (const h of snap.hosts) {
      expect(h).toMatchObject({ state: 'up', error: null, hostKeyFingerprint: fleet.hostKeyFingerprint });
      for (const k of ['load1', 'load5', 'load15', 'cpuPercent', 'memUsedPercent', 'diskUsedPercentMax', 'rxBytesPerSec', 'txBytesPerSec', 'uptimeSeconds']) {
        expect(typeof h.metrics[k], k).toBe('number');
      }
    }
  });

  it('exits 2 and says why when a host is down', async () => {
    await fleet.kill(1);
    try {
      const r = baton('--once', '--json', '-i', inventory, '--known-hosts', fleet.knownHostsFile);
      expect(r.code).toBe(2);
      const snap = JSON.parse(r.stdout) as { hosts: Array<{ state: string; error: string | null }> };
      expect(snap.hosts.map((h) => h.state)).toEqual(['up', 'unreachable']);
      expect(snap.hosts[1]?.error).toMatch(/connection refused/);
    } finally {
      await fleet.restart(1);
    }
  });

  it('exits 1 on a bad inventory, naming file, line and column', () => {
    const bad = join(fleet.dir, 'bad.yaml');
    writeFileSync(bad, 'hosts:\n  web1:\n    port: nope\n');
    const r = baton('--once', '--json', '-i', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:3:11`);
    expect(r.stdout).toBe('');
  });

  it('exits 1 on a bad option value', () => {
    const r = baton('--once', '--interval', 'soon');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--interval.*expected seconds/);
  });

  it('watches the local machine with no inventory', () => {
    const r = baton('--once', '--json');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as { inventory: { format: string }; hosts: Array<{ id: string; transport: string; metrics: { cores: number } }> };
    expect(snap.inventory.format).toBe('embedded');
    expect(snap.hosts[0]).toMatchObject({ id: 'local', transport: 'local' });
    expect(snap.hosts[0]?.metrics.cores).toBeGreaterThan(0);
  });

  it('lists the resolved inventory with `hosts`', () => {
    const r = baton('hosts', '-i', inventory);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${fleet.user}@${fleet.hosts[0]!.address}:${fleet.hosts[0]!.port}`);
  });
});
