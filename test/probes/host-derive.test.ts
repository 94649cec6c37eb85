import { describe, expect, it } from 'vitest';
import { deriveMetrics } from '../../src/probes/host.js';
import type { HostSample } from '../../src/probes/host-metrics.js';

const base: HostSample = {
  takenAt: 10_000,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  cores: 4,
  cpuTotalJiffies: 100_000,
  cpuIdleJiffies: 80_000,
  memTotalBytes: 8_000,
  memAvailableBytes: 2_000,
  swapTotalBytes: 1_000,
  swapFreeBytes: 750,
  disks: [
    { mount: '/', fstype: 'ext4', sizeBytes: 100, usedBytes: 40, usedPercent: 40 },
    { mount: '/data', fstype: 'xfs', sizeBytes: 100, usedBytes: 90, usedPercent: 90 },
  ],
  rxBytes: 1_000_000,
  txBytes: 500_000,
  uptimeSeconds: 3_600,
  kernel: '6.1.0',
  os: 'Debian GNU/Linux 12 (bookworm)',
};

/** `base` two seconds later: 400 jiffies passed, 100 of them idle. */
const later: HostSample = {
  ...base,
  takenAt: 12_000,
  cpuTotalJiffies: 100_400,
  cpuIdleJiffies: 80_100,
  rxBytes: 1_004_000,
  txBytes: 500_500,
  uptimeSeconds: 3_602,
};

describe('deriveMetrics', () => {
  it('computes cpu% from jiffy deltas and byte rates over the sample interval', () => {
    const metrics = deriveMetrics(base, later);
    expect(metrics.cpuPercent).toBe(75);
    expect(metrics.rxBytesPerSec).toBe(2_000);
    expect(metrics.txBytesPerSec).toBe(250);
  });

  it('passes the gauges through and computes memory, swap and disk percentages', () => {
    expect(deriveMetrics(base, later)).toMatchObject({
      load1: 0.5,
      load5: 0.4,
      load15: 0.3,
      cores: 4,
      memUsedPercent: 75,
      memTotalBytes: 8_000,
      swapUsedPercent: 25,
      diskUsedPercentMax: 90,
      uptimeSeconds: 3_602,
      kernel: '6.1.0',
      os: 'Debian GNU/Linux 12 (bookworm)',
    });
  });

  it('has no rates without a previous sample', () => {
    expect(deriveMetrics(undefined, base)).toMatchObject({ cpuPercent: null, rxBytesPerSec: null, txBytesPerSec: null, memUsedPercent: 75 });
  });

  it('has no rates across a reboot (uptime or counters went backwards)', () => {
    const rebooted = { ...later, uptimeSeconds: 30, cpuTotalJiffies: 3_000, cpuIdleJiffies: 2_000, rxBytes: 10, txBytes: 10 };
    expect(deriveMetrics(base, rebooted)).toMatchObject({ cpuPercent: null, rxBytesPerSec: null, txBytesPerSec: null });
    const countersOnly = { ...later, cpuTotalJiffies: 50, rxBytes: 5 };
    expect(deriveMetrics(base, countersOnly)).toMatchObject({ cpuPercent: null, rxBytesPerSec: null, txBytesPerSec: 250 });
  });

  it('has no rates when no time passed or the clock went backwards', () => {
    expect(deriveMetrics(base, { ...later, takenAt: base.takenAt })).toMatchObject({ rxBytesPerSec: null, txBytesPerSec: null });
    expect(deriveMetrics(base, { ...later, takenAt: 5_000 })).toMatchObject({ rxBytesPerSec: null });
  });

  it('has no cpu% when no jiffies passed', () => {
    expect(deriveMetrics(base, { ...base, takenAt: 11_000 }).cpuPercent).toBeNull();
  });

  it('reports 0% and 100% cpu at the extremes', () => {
    expect(deriveMetrics(base, { ...later, cpuIdleJiffies: 80_400 }).cpuPercent).toBe(0);
    expect(deriveMetrics(base, { ...later, cpuIdleJiffies: 80_000 }).cpuPercent).toBe(100);
  });

  it('clamps percentages to 0..100 when inputs are inconsistent', () => {
    const odd = { ...later, cpuIdleJiffies: 81_000, memAvailableBytes: 9_000, swapFreeBytes: 2_000 };
    expect(deriveMetrics(base, odd)).toMatchObject({ cpuPercent: 0, memUsedPercent: 0, swapUsedPercent: 0 });
  });

  it('says null for swap and disks when there are none', () => {
    expect(deriveMetrics(undefined, { ...base, swapTotalBytes: 0, swapFreeBytes: 0, disks: [] })).toMatchObject({
      swapUsedPercent: null,
      diskUsedPercentMax: null,
      disks: [],
    });
  });
});
