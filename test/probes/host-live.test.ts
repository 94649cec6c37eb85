// The probe for real: this machine's shell, /proc and df.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { deriveMetrics, HOST_PROBE_COMMAND, parseHostProbe } from '../../src/probes/host.js';
import { sampleLocalHost } from '../../src/probes/host-local.js';
import { LocalTransport } from '../../src/transport/local.js';
import { nonFinitePaths } from './host-fixtures.js';

describe.runIf(process.platform === 'linux')('HOST_PROBE_COMMAND on this machine', () => {
  it('runs through LocalTransport and parses as a sample of this machine', async () => {
    const transport = new LocalTransport('local');
    await transport.connect();
    try {
      const first = await transport.run(HOST_PROBE_COMMAND);
      await new Promise((r) => setTimeout(r, 200));
      const second = await transport.run(HOST_PROBE_COMMAND);
      expect(first).toMatchObject({ code: 0, stderr: '', timedOut: false });
      const [a, b] = [parseHostProbe(first.stdout, 0), parseHostProbe(second.stdout, 200)];
      if (a.kind !== 'sample' || b.kind !== 'sample') throw new Error(`not samples: ${JSON.stringify([a, b])}`);
      expect(b.sample.cores).toBe(os.cpus().length);
      expect(b.sample.kernel).toBe(os.release());
      expect(b.sample.memTotalBytes).toBe(os.totalmem());
      expect(b.sample.disks!.map((d) => d.mount)).toContain('/');
      const metrics = deriveMetrics(a.sample, b.sample);
      expect(metrics.cpuPercent).not.toBeNull();
      expect(metrics.rxBytesPerSec).not.toBeNull();
      expect(nonFinitePaths(metrics)).toEqual([]);
    } finally {
      await transport.close();
    }
  });
});

describe('sampleLocalHost', () => {
  it('returns a sample of this machine with finite values that derive into metrics', async () => {
    const first = await sampleLocalHost(0);
    await new Promise((r) => setTimeout(r, 200));
    const second = await sampleLocalHost(200);
    if (first.kind !== 'sample' || second.kind !== 'sample') throw new Error(`not samples: ${JSON.stringify([first, second])}`);
    const { sample } = second;
    expect(nonFinitePaths(sample)).toEqual([]);
    expect(sample.cores).toBe(os.cpus().length);
    expect(sample.memTotalBytes).toBe(os.totalmem());
    expect(sample.memAvailableBytes).toBeGreaterThan(0);
    expect(sample.kernel).toBe(os.release());
    expect(sample.os).not.toBe('');
    expect(sample.disks!.length).toBeGreaterThan(0);
    const metrics = deriveMetrics(first.sample, sample);
    expect(nonFinitePaths(metrics)).toEqual([]);
    expect(metrics.cpuPercent).not.toBeNull();
  });
});
