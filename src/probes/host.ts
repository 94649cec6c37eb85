// The host probe: one POSIX sh script that dumps what a HostSample needs, its
// pure parser, and the rates derived from two samples. The script runs every
// second on every host, so it reads /proc with the `read` builtin and forks
// only for `df`.
import type { DiskUsage, HostMetrics, HostProbeResult, HostSample } from './host-metrics.js';
import { MARK, ProbeError, RAW_LIMIT } from './probe-output.js';

const MARKER_LINE = /^@@baton:([a-z]+)$/;

/** Filesystems that are not disks an operator can fill: kernel views, RAM, read-only images. */
const PSEUDO_FILESYSTEMS: ReadonlySet<string> = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'cgroup', 'cgroup2', 'securityfs', 'pstore',
  'bpf', 'tracefs', 'debugfs', 'mqueue', 'hugetlbfs', 'fusectl', 'configfs', 'autofs',
  'binfmt_misc', 'rpc_pipefs', 'nsfs', 'squashfs', 'ramfs', 'efivarfs', 'selinuxfs', 'rootfs',
  'devfs', 'nfsd', 'fuse.lxcfs', 'fuse.snapfuse', 'fuse.gvfsd-fuse', 'fuse.portal',
]);

const PRINT = `printf '%s\\n' "$bt_l"`;

// printf, not echo: dash's echo would turn the \040 of /proc/mounts into a
// space. `|| [ -n ]` keeps a last line without its newline (os-release).
function eachLine(file: string, body: string): string {
  return `while IFS= read -r bt_l || [ -n "$bt_l" ]; do ${body}; done < ${file}`;
}

function section(name: string): string {
  return `printf '%s\\n' '${MARK}${name}'`;
}

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
    ...(withDisks ? [section('mounts'), eachLine('/proc/mounts', PRINT), section('df'), 'df -P -k </dev/null 2>/dev/null'] : []),
    'else',
    section('uname'),
    'uname -s </dev/null 2>/dev/null',
    'fi',
    section('end'),
    'unset bt_l bt_f',
  ].join('\n');
}

/** The full probe, disks included. */
export const HOST_PROBE_COMMAND = hostProbeCommand(true);
/** The light probe: everything but disks (no fork). */
export const HOST_PROBE_LIGHT_COMMAND = hostProbeCommand(false);


function fail(name: string, expected: string, lines: readonly string[]): ProbeError {
  return new ProbeError(`host probe: section ${MARK}${name}: expected ${expected}`, lines.join('\n').slice(0, RAW_LIMIT));
}

const UINT = /^\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;
const INT = /^-?\d+$/;

// Kernel counters are unsigned 64-bit; anything larger is garbage, and the
// bound keeps every product and sum below finite.
const COUNTER_MAX = 2 ** 64;

/** A number matching `pattern` within counter range, or undefined. */
function toNumber(text: string | undefined, pattern: RegExp): number | undefined {
  if (text === undefined || !pattern.test(text)) return undefined;
  const value = Number(text);
  return Math.abs(value) <= COUNTER_MAX ? value : undefined;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function clampPercent(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, value));
}

function splitSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const rawLine of output.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    // Whole-line match only: a tmpfs can be mounted with any device name.
    const name = MARKER_LINE.exec(line)?.[1];
    if (name !== undefined) {
      if (sections.has(name)) throw new ProbeError(`host probe: section ${MARK}${name} appears twice`, output.slice(0, RAW_LIMIT));
      current = [];
      sections.set(name, current);
    } else if (current !== undefined && line.trim() !== '') {
      current.push(line);
    }
  }
  return sections;
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

interface MountEntry {
  device: string;
  mount: string;
  fstype: string;
}

/** /proc/mounts escapes space, tab, newline and backslash as \ooo. */
function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

function parseMounts(lines: readonly string[]): MountEntry[] {
  return lines.map((line) => {
    const [device, mount, fstype] = line.trim().split(/\s+/);
    if (device === undefined || mount === undefined || fstype === undefined) {
      throw fail('mounts', "'device mountpoint fstype options' lines as in /proc/mounts", [line]);
    }
    return { device: decodeMountField(device), mount: decodeMountField(mount), fstype };
  });
}

/** One filesystem as df reports it, with its type. */
export interface DfRow {
  device: string;
  mount: string;
  fstype: string;
  sizeBytes: number;
  usedBytes: number;
  availableBytes: number;
}

// df -P: device, 1024-blocks, used, available (GNU may print it negative),
// capacity ('-' for an empty filesystem), mount point (may contain spaces).
const DF_ROW = /^(.+?)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(?:\d+%|-)\s+(\/.*)$/;

function parseDf(lines: readonly string[], mounts: readonly MountEntry[]): DfRow[] {
  if (!(lines[0] ?? '').startsWith('Filesystem')) throw fail('df', "the 'Filesystem 1024-blocks ...' header of df -P -k", lines);
  return lines.slice(1).map((line) => {
    const match = DF_ROW.exec(line);
    const [size, used, available] = [toNumber(match?.[2], UINT), toNumber(match?.[3], UINT), toNumber(match?.[4], INT)];
    const device = match?.[1];
    const mount = match?.[5];
    if (device === undefined || mount === undefined || size === undefined || used === undefined || available === undefined) {
      throw fail('df', "'device blocks used available capacity% /mount' rows of df -P -k", [line]);
    }
    // The last mount at a path is the visible one; prefer the entry for the same device.
    const atPath = mounts.filter((m) => m.mount === mount).reverse();
    const entry = atPath.find((m) => m.device === device) ?? atPath[0];
    return { device, mount, fstype: entry?.fstype ?? 'unknown', sizeBytes: size * 1024, usedBytes: used * 1024, availableBytes: available * 1024 };
  });
}

/**
 * Real disks only: drops pseudo filesystems and empty ones, and keeps one
 * mount (the shortest path) per filesystem, so bind mounts count once.
 */
export function selectRealDisks(rows: readonly DfRow[]): DiskUsage[] {
  const byFilesystem = new Map<string, DiskUsage>();
  for (const row of rows) {
    if (PSEUDO_FILESYSTEMS.has(row.fstype) || !(row.sizeBytes > 0)) continue;
    // Size too: every overlay mount is named "overlay", whatever lies beneath.
    const key = `${row.device}\0${row.sizeBytes}`;
    const kept = byFilesystem.get(key);
    if (kept !== undefined && kept.mount.length <= row.mount.length) continue;
    // Like df's Capacity: blocks reserved for root count as neither used nor available.
    const usable = row.usedBytes + Math.max(0, row.availableBytes);
    const usedPercent = usable > 0 ? clampPercent((row.usedBytes / usable) * 100) : 0;
    byFilesystem.set(key, { mount: row.mount, fstype: row.fstype, sizeBytes: row.sizeBytes, usedBytes: row.usedBytes, usedPercent });
  }
  return [...byFilesystem.values()];
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
  const need = (name: string): string[] => {
    const lines = sections.get(name);
    if (lines === undefined) throw new ProbeError(`host probe: section ${MARK}${name} is missing`, output.slice(0, RAW_LIMIT));
    return lines;
  };
  const [load1, load5, load15] = parseLoadavg(need('loadavg'));
  const cpu = parseStat(need('stat'));
  const memory = parseMeminfo(need('meminfo'));
  const net = parseNetdev(need('netdev'));
  const uptimeSeconds = parseUptime(need('uptime'));
  const kernel = need('kernel')[0]?.trim();
  if (!kernel) throw fail('kernel', 'the kernel release from /proc/sys/kernel/osrelease', need('kernel'));
  const os = parseOsName(need('os'));
  // The light probe has neither section; one without the other is a cut stream.
  const disks = !sections.has('df') && !sections.has('mounts') ? undefined : selectRealDisks(parseDf(need('df'), parseMounts(need('mounts'))));
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
    rxBytesPerSec: before === undefined ? null : ratePerSecond(before.rxBytes, current.rxBytes, seconds),
    txBytesPerSec: before === undefined ? null : ratePerSecond(before.txBytes, current.txBytes, seconds),
    uptimeSeconds: current.uptimeSeconds,
    kernel: current.kernel,
    os: current.os,
  };
}
