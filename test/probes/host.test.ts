import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOST_PROBE_COMMAND, HOST_PROBE_LIGHT_COMMAND, parseHostProbe } from '../../src/probes/host.js';
import { HOST_DISK_PROBE_COMMAND, parseDiskProbe, selectRealDisks } from '../../src/probes/host-disks.js';
import type { HostProbeResult, HostSample } from '../../src/probes/host-metrics.js';
import { fixture, meminfoBytes, realFixtures, sectionLines } from './host-fixtures.js';

function sampleOf(result: HostProbeResult): HostSample {
  if (result.kind !== 'sample') throw new Error(`expected a sample, got ${JSON.stringify(result)}`);
  return result.sample;
}

function parseFixture(name: string): HostSample {
  return sampleOf(parseHostProbe(fixture(name), 1_000));
}

describe('HOST_PROBE_COMMAND', () => {
  it('forks only for df (and uname on non-Linux): no pipes, substitutions or cat', () => {
    expect(HOST_PROBE_COMMAND).not.toMatch(/\$\(|`|\bcat\b|\bhead\b|\bawk\b|\bgrep\b|\bsed\b/);
    expect(HOST_PROBE_COMMAND).not.toMatch(/\|\s*(while|df|read)/);
    expect(HOST_PROBE_COMMAND).toContain('df -P -k </dev/null 2>/dev/null');
  });

  it('never exits the shell it runs in', () => {
    expect(HOST_PROBE_COMMAND).not.toMatch(/\bexit\b|\bexec\b|set -e/);
  });
});

describe('parseHostProbe on real captures of this machine', () => {
  it.each(realFixtures)('%s', (name) => {
    const text = fixture(name);
    const sample = parseFixture(name);
    const [load1, load5, load15] = (sectionLines(text, 'loadavg')[0] ?? '').split(' ').map(Number);
    expect([sample.load1, sample.load5, sample.load15]).toEqual([load1, load5, load15]);

    const statLines = sectionLines(text, 'stat');
    const cpu = (statLines[0] ?? '').split(/\s+/).slice(1, 9).map(Number);
    expect(sample.cpuTotalJiffies).toBe(cpu.reduce((a, b) => a + b, 0));
    expect(sample.cpuIdleJiffies).toBe((cpu[3] ?? NaN) + (cpu[4] ?? NaN));
    expect(sample.cores).toBe(statLines.length - 1);

    expect(sample.memTotalBytes).toBe(meminfoBytes(text, 'MemTotal'));
    expect(sample.memAvailableBytes).toBe(meminfoBytes(text, 'MemAvailable'));
    expect(sample.swapTotalBytes).toBe(meminfoBytes(text, 'SwapTotal'));

    const eth0 = sectionLines(text, 'netdev').find((l) => l.trim().startsWith('eth0:'));
    const eth0Fields = (eth0 ?? '').split(':')[1]?.trim().split(/\s+/).map(Number) ?? [];
    expect(sample.rxBytes).toBe(eth0Fields[0]);
    expect(sample.txBytes).toBe(eth0Fields[8]);

    expect(sample.uptimeSeconds).toBe(Number((sectionLines(text, 'uptime')[0] ?? '').split(' ')[0]));
    expect(sample.kernel).toBe(sectionLines(text, 'kernel')[0]);
    expect(sample.os).toBe('Debian GNU/Linux 12 (bookworm)');

    const rootRow = sectionLines(text, 'df').find((l) => / \/$/.test(l)) ?? '';
    const [, blocks, used, available] = rootRow.split(/\s+/).map(Number);
    expect(sample.disks).toEqual([
      { mount: '/', fstype: 'ext4', sizeBytes: (blocks ?? NaN) * 1024, usedBytes: (used ?? NaN) * 1024, usedPercent: ((used ?? NaN) / ((used ?? NaN) + (available ?? NaN))) * 100 },
    ]);
  });
});

describe('parseHostProbe on hand-derived fixtures', () => {
  it('Alpine container: overlay root kept, bind mounts of one disk counted once, BusyBox df, no swap', () => {
    const sample = parseFixture('handmade-alpine-container-overlay-busybox-df.txt');
    expect(sample.cores).toBe(4);
    expect(sample.os).toBe('Alpine Linux v3.19');
    expect(sample.swapTotalBytes).toBe(0);
    expect(sample.rxBytes).toBe(48213877);
    expect(sample.txBytes).toBe(2274018);
    expect(sample.disks!.map((d) => [d.mount, d.fstype])).toEqual([
      ['/', 'overlay'],
      ['/data', 'ext4'],
    ]);
    expect(sample.disks![0]?.usedPercent).toBeCloseTo((38502144 / (38502144 + 19948964)) * 100, 10);
  });

  it('Ubuntu host: swap, snaps, lxcfs and pseudo filesystems dropped, \\040 decoded, all non-lo interfaces summed', () => {
    const sample = parseFixture('handmade-ubuntu2204-host-swap-snap-lxcfs.txt');
    expect(sample.disks!.map((d) => [d.mount, d.fstype])).toEqual([
      ['/', 'ext4'],
      ['/boot/efi', 'vfat'],
      ['/mnt/backup disk', 'xfs'],
      ['/var/lib/docker/overlay2/9f1c2ab7e5d4/merged', 'overlay'],
    ]);
    expect(sample.disks![2]).toMatchObject({ sizeBytes: 1952559104 * 1024, usedBytes: 976100352 * 1024 });
    expect(sample.swapTotalBytes).toBe(2097148 * 1024);
    expect(sample.swapFreeBytes).toBe(1572860 * 1024);
    expect(sample.rxBytes).toBe(98127634112 + 1820331 + 2031928);
    expect(sample.txBytes).toBe(12081734221 + 50221349 + 50401223);
    expect(sample.load15).toBe(2.12);
    expect(sample.uptimeSeconds).toBe(2211843.56);
  });

  it('CentOS 6: no MemAvailable (free + buffers + cache), 9-field cpu line, rootfs ignored, no os-release', () => {
    const sample = parseFixture('handmade-centos6-no-memavailable-no-os-release.txt');
    expect(sample.memAvailableBytes).toBe((412008 + 210444 + 2196340) * 1024);
    expect(sample.cpuTotalJiffies).toBe(2255034 + 1423 + 894410 + 371263822 + 512003 + 1822 + 40112 + 0);
    expect(sample.cpuIdleJiffies).toBe(371263822 + 512003);
    expect(sample.os).toBe('Linux');
    expect(sample.kernel).toBe('2.6.32-754.35.1.el6.x86_64');
    expect(sample.rxBytes).toBe(3172083341);
    expect(sample.disks!.map((d) => [d.mount, d.fstype])).toEqual([
      ['/', 'ext4'],
      ['/boot', 'ext4'],
    ]);
  });

  it('FreeBSD: unsupported, with the system named', () => {
    expect(parseHostProbe(fixture('handmade-freebsd-uname.txt'), 1)).toEqual({ kind: 'unsupported', system: 'FreeBSD' });
  });
});

describe('parseHostProbe errors', () => {
  const good = fixture('real-vm-dash.txt');

  function errorOf(output: string): { message: string; raw: string } {
    const result = parseHostProbe(output, 1);
    if (result.kind !== 'parse-error') throw new Error(`expected a parse error, got ${result.kind}`);
    return result;
  }

  it('names a missing section', () => {
    expect(errorOf(good.replace(/@@baton:uptime\n.*\n/, '')).message).toMatch(/@@baton:uptime is missing/);
  });

  it('says the output was cut off when the end marker is absent', () => {
    const cut = good.slice(0, good.indexOf('@@baton:df') + 40);
    const error = errorOf(cut);
    expect(error.message).toMatch(/ended before @@baton:end/);
    expect(error.raw.startsWith('Filesystem')).toBe(true);
  });

  it('shows the garbled line and what was expected', () => {
    const error = errorOf(good.replace(/^MemTotal:.*$/m, 'MemTotal:  lots kB'));
    expect(error.message).toMatch(/@@baton:meminfo: expected 'MemTotal: <number> kB'/);
    expect(error.raw).toBe('MemTotal:  lots kB');
  });

  it('rejects numbers too large for a kernel counter instead of returning Infinity', () => {
    const error = errorOf(good.replace(/^MemTotal:\s+\d+/m, `MemTotal: ${'9'.repeat(400)}`));
    expect(error.message).toMatch(/meminfo/);
  });

  it('reports a Linux host without /proc rather than calling it unsupported', () => {
    expect(errorOf('@@baton:uname\nLinux\n@@baton:end\n').message).toMatch(/is \/proc mounted/);
  });

  it('is not fooled by a mount whose device name looks like a marker', () => {
    const sneaky = good.replace('@@baton:df\n', '@@baton:end /x tmpfs rw 0 0\n@@baton:df\n');
    expect(parseHostProbe(sneaky, 1).kind).toBe('sample');
  });

  it('caps raw at about 300 characters', () => {
    expect(errorOf('x'.repeat(5000)).raw.length).toBeLessThanOrEqual(300);
  });
});

describe('selectRealDisks', () => {
  const row = { device: '/dev/sda1', fstype: 'ext4', sizeBytes: 100, usedBytes: 30, availableBytes: 60 };

  it('uses df capacity semantics (reserved blocks excluded) and keeps the shortest bind mount', () => {
    expect(selectRealDisks([{ ...row, mount: '/srv/data' }, { ...row, mount: '/srv' }])).toEqual([
      { mount: '/srv', fstype: 'ext4', sizeBytes: 100, usedBytes: 30, usedPercent: (30 / 90) * 100 },
    ]);
  });

  it('clamps a negative available (GNU df on an over-full filesystem) to 100%', () => {
    expect(selectRealDisks([{ ...row, mount: '/', usedBytes: 100, availableBytes: -5 }])[0]?.usedPercent).toBe(100);
  });

  it('drops empty filesystems and pseudo filesystems', () => {
    expect(selectRealDisks([{ ...row, mount: '/a', sizeBytes: 0 }, { ...row, mount: '/b', fstype: 'tmpfs', device: 'tmpfs' }])).toEqual([]);
  });

  it('keeps two 100-byte disks on different devices apart', () => {
    expect(selectRealDisks([{ ...row, mount: '/a' }, { ...row, mount: '/b', device: '/dev/sdb1' }])).toHaveLength(2);
  });
});

describe('light probe (no disks)', () => {
  it('parses a sample with disks undefined, and a cut full probe stays an error', () => {
    const out = execFileSync('/bin/sh', ['-c', HOST_PROBE_LIGHT_COMMAND]).toString();
    expect(out).not.toContain('@@baton:df');
    const r = parseHostProbe(out, 1);
    expect(r.kind).toBe('sample');
    if (r.kind === 'sample') expect(r.sample.disks).toBeUndefined();
    const withoutDf = out.replace('@@baton:end', '@@baton:mounts\n/dev/vda1 / ext4 rw 0 0\n@@baton:end');
    expect(parseHostProbe(withoutDf, 1)).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('df') });
  });
});

describe('disk probe (df apart)', () => {
  it('reads the same disks here as the full probe', () => {
    const disks = parseDiskProbe(execFileSync('/bin/sh', ['-c', HOST_DISK_PROBE_COMMAND]).toString());
    const full = sampleOf(parseHostProbe(execFileSync('/bin/sh', ['-c', HOST_PROBE_COMMAND]).toString(), 1));
    expect(disks.kind === 'disks' && disks.disks.map((d) => d.mount)).toEqual(full.disks!.map((d) => d.mount));
  });

  it('makes cut or foreign output a parse error with the snippet', () => {
    const out = execFileSync('/bin/sh', ['-c', HOST_DISK_PROBE_COMMAND]).toString();
    expect(parseDiskProbe(out.slice(0, out.indexOf('@@baton:end')))).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('cut off') });
    expect(parseDiskProbe('@@baton:end\n')).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('missing') });
    expect(parseDiskProbe('@@baton:mounts\n@@baton:df\nnot df\n@@baton:end\n')).toMatchObject({ kind: 'parse-error', raw: 'not df' });
  });
});
