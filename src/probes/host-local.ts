// The machine baton runs on, sampled without a shell script so it also works
// on macOS: systeminformation for memory, disks, network and the OS name,
// node:os for load, uptime and CPU times. Counters stay cumulative so
// deriveMetrics works unchanged.
import os from 'node:os';
import type { HostProbeResult, HostSample } from './host-metrics.js';
import { selectRealDisks } from './host-disks.js';

const LOOPBACK = /^lo\d*$/; // lo on Linux, lo0 on macOS

/** Cumulative CPU time over all cores, in ms (a jiffy-equivalent: only ratios matter). */
function cpuTimes(): { total: number; idle: number; cores: number } {
  const cpus = os.cpus();
  let total = 0;
  let idle = 0;
  for (const { times } of cpus) {
    total += times.user + times.nice + times.sys + times.idle + times.irq;
    idle += times.idle;
  }
  // os.cpus() is empty where /proc/cpuinfo is hidden; the scheduler still knows.
  return { total, idle, cores: cpus.length || os.availableParallelism() };
}

/** Samples the local host. Never throws: failures become a parse-error result. */
export async function sampleLocalHost(takenAt: number): Promise<HostProbeResult> {
  try {
    // Loaded on first use: 0.7 MB that a run watching only SSH hosts (a cron --once) would parse for nothing.
    const { default: si } = await import('systeminformation');
    const [mem, filesystems, interfaces, osInfo] = await Promise.all([si.mem(), si.fsSize(), si.networkStats('*'), si.osInfo()]);
    const cpu = cpuTimes();
    const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
    const external = interfaces.filter((i) => !LOOPBACK.test(i.iface));
    const disks = selectRealDisks(
      filesystems.map((f) => ({ device: f.fs, mount: f.mount, fstype: f.type, sizeBytes: f.size, usedBytes: f.used, availableBytes: f.available })),
    );
    const sample: HostSample = {
      takenAt,
      load1,
      load5,
      load15,
      cores: cpu.cores,
      cpuTotalJiffies: cpu.total,
      cpuIdleJiffies: cpu.idle,
      memTotalBytes: mem.total,
      memAvailableBytes: Math.min(mem.available, mem.total),
      swapTotalBytes: mem.swaptotal,
      swapFreeBytes: Math.min(mem.swapfree, mem.swaptotal),
      disks,
      rxBytes: external.reduce((sum, i) => sum + i.rx_bytes, 0),
      txBytes: external.reduce((sum, i) => sum + i.tx_bytes, 0),
      uptimeSeconds: os.uptime(),
      kernel: os.release(),
      os: [osInfo.distro, osInfo.release, osInfo.codename && `(${osInfo.codename})`].filter(Boolean).join(' ') || os.type(),
    };
    // systeminformation reports what it cannot read as NaN or null; say which field.
    const bad = Object.entries(sample).find(([, value]) => typeof value === 'number' && !Number.isFinite(value));
    const badDisk = disks.find((d) => ![d.sizeBytes, d.usedBytes, d.usedPercent].every(Number.isFinite));
    if (bad !== undefined || badDisk !== undefined) {
      const what = bad !== undefined ? `${bad[0]} = ${String(bad[1])}` : `disk ${badDisk?.mount ?? ''}`;
      return { kind: 'parse-error', message: `local host: could not read ${what}`, raw: '' };
    }
    return { kind: 'sample', sample };
  } catch (err) {
    return { kind: 'parse-error', message: `local host: sampling failed: ${err instanceof Error ? err.message : String(err)}`, raw: '' };
  }
}
