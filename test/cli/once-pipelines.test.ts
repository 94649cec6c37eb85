// `baton --once`: each host samples on its own pipeline (connect, sample, its
// own gap, sample), so a slow host holds up no other. Read from the sample
// times the JSON reports, not from a stopwatch.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
/** Every session on the slow host (its shells included) waits this long first. */
const SLOW_SECONDS = 3;
const GAP_SECONDS = 0.3;
let fleet: Fleet;
let inventory: string;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 3, firstAddress: '127.0.10.1', delayedShellSeconds: { 2: SLOW_SECONDS } });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
});
afterAll(async () => {
  await fleet?.stop();
});

interface OnceHost {
  id: string;
  state: string;
  updatedAt: string;
  metrics: { cpuPercent: number | null; diskUsedPercentMax: number | null };
}

describe('baton --once with a slow host', () => {
  it('takes the fast hosts\' second samples without waiting for the slow one', () => {
    const r = spawnSync(process.execPath, [CLI, '--once', '--json', '--sample-gap', String(GAP_SECONDS), '-i', inventory, '--known-hosts', fleet.knownHostsFile], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const hosts = (JSON.parse(r.stdout) as { hosts: OnceHost[] }).hosts;
    const at = (id: string) => Date.parse(hosts.find((h) => h.id === id)!.updatedAt);
    const [fast1, fast2, slow] = fleet.hosts.map((h) => at(h.id));
    // Waiting on the slow host's first sample would put every second sample after it: within a gap of the slow host's own.
    expect(slow! - Math.max(fast1!, fast2!)).toBeGreaterThan((SLOW_SECONDS - 1) * 1000);
    for (const h of hosts) {
      expect(h.state).toBe('up');
      // Two samples each: CPU % needs both.
      expect(typeof h.metrics.cpuPercent, h.id).toBe('number');
    }
    // The disks the first sample asked for come with the second (the slow host's df shell is slower than the wait).
    for (const h of hosts.slice(0, 2)) expect(typeof h.metrics.diskUsedPercentMax, h.id).toBe('number');
  });

  it('refuses a gap that is not a positive number of seconds', () => {
    const r = spawnSync(process.execPath, [CLI, '--once', '--sample-gap', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--sample-gap.*expected seconds/);
  });
});
