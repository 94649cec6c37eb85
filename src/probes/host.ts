// The host probe: one POSIX sh script that dumps what a HostSample needs, its
// pure parser, and the rates derived from two samples. The script runs every
// second on every host, so it reads /proc with the `read` builtin; the disk
// part (df, the one fork) is in host-disks.ts and runs apart.
import type { HostMetrics, HostProbeResult, HostSample } from './host-metrics.js';
import { DISK_SECTIONS, disksFromSections } from './host-disks.js';
import { clampPercent, DECIMAL, eachLine, fail, needSection, PRINT, section, splitSections, toNumber, UINT } from './host-probe-text.js';
import { MARK, ProbeError, RAW_LIMIT } from './probe-output.js';

/**
 * Prints marker-delimited sections. Reads nothing from stdin (df and uname
 * get /dev/null) and never exits, so it can run inside a long-lived shell.
 * /proc/stat stops at the first non-cpu line (the intr line is huge) and
 * meminfo stops after SwapFree, printing only the fields the parser uses.
 * Without disks it skips /proc/mounts and df: df is the probe's only fork
 * and most of its cost, and disk use changes slowly.
 */
function hostProbeCommand(withDisks: boolean): string {
  return [
    'if [ -r /proc/loadavg ]; then',
    section('loadavg'),
    eachLine('/proc/loadavg', PRINT),
    section('stat'),
    eachLine('/proc/stat', `case $bt_l in cpu*) ${PRINT};; *) break;; esac`),
    section('meminfo'),
    eachLine(
      '/proc/meminfo',
      `case $bt_l in MemTotal:*|MemFree:*|MemAvailable:*|Buffers:*|Cached:*|SwapTotal:*) ${PRINT};; ` +
        `SwapFree:*) ${PRINT}; break;; esac`,
    ),
    section('netdev'),
    eachLine('/proc/net/dev', PRINT),
    section('uptime'),
    eachLine('/proc/uptime', PRINT),
    section('kernel'),
    eachLine('/proc/sys/kernel/osrelease', PRINT),
    section('os'),
    'for bt_f in /etc/os-release /usr/lib/os-release; do [ -r "$bt_f" ] || continue; ' +
      eachLine('"$bt_f"', `case $bt_l in PRETTY_NAME=*) ${PRINT}; break;; esac`) +
      '; break; done',
    ...(withDisks ? DISK_SECTIONS : []),
    'else',
    section('uname'),
    'uname -s </dev/null 2>/dev/null',
    'fi',
    section('end'),
    'unset bt_l bt_f',
  ].join('\n');
}

/** The full probe, disks included, in one command (what the bench has pssh and clush run). */
export const HOST_PROBE_COMMAND = hostProbeCommand(true);
/** The light probe: everything but disks (no fork). baton samples disks with HOST_DISK_PROBE_COMMAND. */
export const HOST_PROBE_LIGHT_COMMAND = hostProbeCommand(false);

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function parseLoadavg(lines: readonly string[]): [number, number, number] {
  const fields = (lines[0] ?? '').trim().split(/\s+/);
  const [l1, l5, l15] = fields.map((f) => toNumber(f, DECIMAL));
  if (l1 === undefined || l5 === undefined || l15 === undefined) {
    throw fail('loadavg', "three load averages like '0.52 0.58 0.59 1/467 12345'", lines);
  }
  return [l1, l5, l15];
}

function parseStat(lines: readonly string[]): { total: number; idle: number; cores: number } {
  let jiffies: number[] | undefined;
  let cores = 0;
  for (const line of lines) {
    const [label = '', ...fields] = line.trim().split(/\s+/);
    if (label === 'cpu') {
      // Fields 9-10 (guest, guest_nice) are already counted in user and nice.
      const values = fields.slice(0, 8).map((f) => toNumber(f, UINT));
      const known = values.filter((v) => v !== undefined);
      if (known.length >= 4 && known.length === values.length) jiffies = known;
    } else if (/^cpu\d+$/.test(label)) {
      cores += 1;
    } else {
      break;
    }
  }
  if (jiffies === undefined || cores === 0) {
    throw fail('stat', "a 'cpu' line of at least four jiffy counters followed by 'cpuN' lines", lines);
  }
  return { total: sum(jiffies), idle: (jiffies[3] ?? 0) + (jiffies[4] ?? 0), cores };
}

const MEMINFO_KEYS = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree'];

function parseMeminfo(lines: readonly string[]) {
  const kb = new Map<string, number>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon);
    if (colon < 0 || !MEMINFO_KEYS.includes(key)) continue;
    const value = toNumber(/^\s*(\d+)(?:\s*kB)?\s*$/.exec(line.slice(colon + 1))?.[1], UINT);
    if (value === undefined) throw fail('meminfo', `'${key}: <number> kB'`, [line]);
    kb.set(key, value);
  }
  const total = kb.get('MemTotal');
  // Kernels before 3.14 lack MemAvailable; free + buffers + cache is the old estimate.
  const free = kb.get('MemFree');
  const available = kb.get('MemAvailable') ?? (free === undefined ? undefined : free + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0));
  if (total === undefined || total === 0 || available === undefined) {
    throw fail('meminfo', "'MemTotal:' (non-zero) and 'MemAvailable:' or 'MemFree:' lines in kB", lines);
  }
  const swapTotal = kb.get('SwapTotal') ?? 0;
  const bytes = (n: number) => n * 1024;
  return {
    memTotalBytes: bytes(total),
    memAvailableBytes: bytes(Math.min(available, total)),
    swapTotalBytes: bytes(swapTotal),
    swapFreeBytes: bytes(Math.min(kb.get('SwapFree') ?? swapTotal, swapTotal)),
  };
}

function parseNetdev(lines: readonly string[]): { rx: number; tx: number } {
  const rx: number[] = [];
  const tx: number[] = [];
  for (const line of lines) {
    if (line.includes('|')) continue; // the two header lines
    const colon = line.indexOf(':');
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    const [received, sent] = [toNumber(fields[0], UINT), toNumber(fields[8], UINT)];
    if (colon < 0 || received === undefined || sent === undefined) {
      throw fail('netdev', "'iface: <16 counters>' lines as in /proc/net/dev", [line]);
    }
    if (line.slice(0, colon).trim() === 'lo') continue;
    rx.push(received);
    tx.push(sent);
  }
  return { rx: sum(rx), tx: sum(tx) };
}

function parseUptime(lines: readonly string[]): number {
  const uptime = toNumber((lines[0] ?? '').trim().split(/\s+/)[0], DECIMAL);
  if (uptime === undefined) throw fail('uptime', "seconds since boot like '12345.67 23456.78'", lines);
  return uptime;
}

function parseOsName(lines: readonly string[]): string {
  const line = lines.find((l) => l.startsWith('PRETTY_NAME='));
  if (line === undefined) return 'Linux';
  const value = line.slice('PRETTY_NAME='.length).trim();
  const unquoted = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  return unquoted.replace(/\\(.)/g, '$1') || 'Linux';
}

function parseSample(output: string, takenAt: number): HostProbeResult {
  const sections = splitSections(output);
  if (!sections.has('end')) {
    const last = [...sections.values()].at(-1);
    const raw = last === undefined ? output.slice(0, RAW_LIMIT) : last.join('\n').slice(0, RAW_LIMIT);
    throw new ProbeError(`host probe: output ended before ${MARK}end (cut off, or not the host probe's output)`, raw);
  }
  const uname = sections.get('uname');
  if (uname !== undefined) {
    const system = uname[0]?.trim() || 'unknown';
    if (system !== 'Linux') return { kind: 'unsupported', system };
    throw new ProbeError('host probe: /proc/loadavg is not readable on this Linux host: is /proc mounted?', output.slice(0, RAW_LIMIT));
  }
  const need = (name: string): string[] => needSection(sections, name, output);
  const [load1, load5, load15] = parseLoadavg(need('loadavg'));
  const cpu = parseStat(need('stat'));
  const memory = parseMeminfo(need('meminfo'));
  const net = parseNetdev(need('netdev'));
  const uptimeSeconds = parseUptime(need('uptime'));
  const kernel = need('kernel')[0]?.trim();
  if (!kernel) throw fail('kernel', 'the kernel release from /proc/sys/kernel/osrelease', need('kernel'));
  const os = parseOsName(need('os'));
  const disks = disksFromSections(sections, output);
  const sample: HostSample = {
    takenAt, load1, load5, load15, cores: cpu.cores, cpuTotalJiffies: cpu.total, cpuIdleJiffies: cpu.idle,
    ...memory, disks, rxBytes: net.rx, txBytes: net.tx, uptimeSeconds, kernel, os,
  };
  return { kind: 'sample', sample };
}

/** Parses the output of HOST_PROBE_COMMAND or HOST_PROBE_LIGHT_COMMAND. Never throws: bad output is a parse-error with the snippet. */
export function parseHostProbe(output: string, takenAt: number): HostProbeResult {
  try {
    if (!Number.isFinite(takenAt)) return { kind: 'parse-error', message: `host probe: takenAt ${takenAt} is not a time`, raw: '' };
    return parseSample(output, takenAt);
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    const reason = err instanceof Error ? err.message : 'unknown error';
    return { kind: 'parse-error', message: `host probe: parser failed: ${reason}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}

/** Change per second of a cumulative counter; null when it went backwards or no time passed. */
function ratePerSecond(before: number, after: number, seconds: number): number | null {
  const rate = (after - before) / seconds;
  return seconds > 0 && after >= before && Number.isFinite(rate) ? rate : null;
}

function cpuPercent(previous: HostSample, current: HostSample): number | null {
  const total = current.cpuTotalJiffies - previous.cpuTotalJiffies;
  const idle = current.cpuIdleJiffies - previous.cpuIdleJiffies;
  if (!(total > 0) || !(idle >= 0) || !Number.isFinite(total) || !Number.isFinite(idle)) return null;
  return clampPercent(((total - idle) / total) * 100);
}

/** What the console shows, from the latest sample and the one before it (if any). */
export function deriveMetrics(previous: HostSample | undefined, current: HostSample): HostMetrics {
  // Uptime going backwards means a reboot: counters restarted, deltas are meaningless.
  const before = previous !== undefined && current.uptimeSeconds >= previous.uptimeSeconds ? previous : undefined;
  const seconds = before === undefined ? 0 : (current.takenAt - before.takenAt) / 1000;
  const { memTotalBytes, memAvailableBytes, swapTotalBytes, swapFreeBytes } = current;
  const disks = current.disks ?? [];
  return {
    load1: current.load1,
    load5: current.load5,
    load15: current.load15,
    cores: current.cores,
    cpuPercent: before === undefined ? null : cpuPercent(before, current),
    memUsedPercent: memTotalBytes > 0 ? clampPercent(((memTotalBytes - memAvailableBytes) / memTotalBytes) * 100) : 0,
    memTotalBytes,
    swapUsedPercent: swapTotalBytes > 0 ? clampPercent(((swapTotalBytes - swapFreeBytes) / swapTotalBytes) * 100) : null,
    disks,
    diskUsedPercentMax: disks.length > 0 ? Math.max(...disks.map((d) => d.usedPercent)) : null,
    disksProblem: current.disksProblem ?? null,
    rxBytesPerSec: before === undefined ? null : ratePerSecond(before.rxBytes, current.rxBytes, seconds),
    txBytesPerSec: before === undefined ? null : ratePerSecond(before.txBytes, current.txBytes, seconds),
    uptimeSeconds: current.uptimeSeconds,
    kernel: current.kernel,
    os: current.os,
  };
}
