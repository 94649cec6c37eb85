// The lab's per-host /proc views, read by baton's real host probe script
// inside a mount namespace where they are bind-mounted over the kernel's
// files (as `lab load` does on a lab host): the probe's parser gives back
// the load that was set. Root only, like the lab's namespaces.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { advance, loadavgView, meminfoView, realCounters, statView } from '../../src/lab/load/proc-views.js';
import { deriveMetrics, HOST_PROBE_LIGHT_COMMAND, parseHostProbe } from '../../src/probes/host.js';
import type { HostSample } from '../../src/probes/host-metrics.js';
import { hostLoadPercent } from '../../src/store/fleet-load.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-proc-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = process.getuid?.() === 0;

function probeThroughViews(): HostSample {
  const mounts = ['stat', 'meminfo', 'loadavg'].map((v) => `mount --bind ${join(dir, v)} /proc/${v}`).join('; ');
  const out = execFileSync('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', `${mounts}\n${HOST_PROBE_LIGHT_COMMAND}`], { encoding: 'utf8', timeout: 10_000 });
  const parsed = parseHostProbe(out, Date.now());
  if (parsed.kind !== 'sample') throw new Error(JSON.stringify(parsed));
  return parsed.sample;
}

describe('lab /proc views', () => {
  const cores = cpus().length;
  const total = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);

  it('keep their length as the counters grow (rewritten in place under a bind mount)', () => {
    const start = realCounters(readFileSync('/proc/stat', 'utf8'));
    expect(start.busy + start.idle).toBeGreaterThan(0);
    expect(statView(advance(start, 3600, cores, 73), cores, 1).length).toBe(statView(start, cores, 1).length);
    expect(meminfoView(total, 5).length).toBe(meminfoView(total, 100).length);
    expect(loadavgView(cores, 0).length).toBe(loadavgView(cores, 100).length);
  });

  it.runIf(root)('are what baton\'s host probe reads: load = the percentage set', () => {
    let counters = realCounters(readFileSync('/proc/stat', 'utf8'));
    const write = () => {
      writeFileSync(join(dir, 'stat'), statView(counters, cores, 1));
      writeFileSync(join(dir, 'meminfo'), meminfoView(total, 70));
      writeFileSync(join(dir, 'loadavg'), loadavgView(cores, 70));
    };
    write();
    const first = probeThroughViews();
    counters = advance(counters, 2, cores, 70);
    write();
    const second = { ...probeThroughViews(), takenAt: first.takenAt + 2000 };
    const metrics = deriveMetrics(first, second);
    expect(metrics.cpuPercent).toBeCloseTo(70, 0);
    expect(metrics.memUsedPercent).toBeCloseTo(70, 0);
    expect(metrics.load1).toBeCloseTo((cores * 70) / 100, 2);
    expect(metrics.cores).toBe(cores);
    expect(hostLoadPercent(metrics)).toBeCloseTo(70, 0);
  });
});
