// The disk part of the host probe: /proc/mounts for the types, `df -P -k`
// for the figures, and which rows are real disks. It runs apart from the
// rest (HOST_DISK_PROBE_COMMAND, on a lane of its own): df is the probe's
// only fork and the part that hangs on a dead mount.
import type { DiskUsage } from './host-metrics.js';
import { clampPercent, eachLine, fail, INT, needSection, PRINT, section, splitSections, toNumber, UINT } from './host-probe-text.js';
import { MARK, ProbeError, RAW_LIMIT } from './probe-output.js';

/** Filesystems that are not disks an operator can fill: kernel views, RAM, read-only images. */
const PSEUDO_FILESYSTEMS: ReadonlySet<string> = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'cgroup', 'cgroup2', 'securityfs', 'pstore',
  'bpf', 'tracefs', 'debugfs', 'mqueue', 'hugetlbfs', 'fusectl', 'configfs', 'autofs',
  'binfmt_misc', 'rpc_pipefs', 'nsfs', 'squashfs', 'ramfs', 'efivarfs', 'selinuxfs', 'rootfs',
  'devfs', 'nfsd', 'fuse.lxcfs', 'fuse.snapfuse', 'fuse.gvfsd-fuse', 'fuse.portal',
]);

/** The script lines that print the mounts and df sections. */
export const DISK_SECTIONS: readonly string[] = [section('mounts'), eachLine('/proc/mounts', PRINT), section('df'), 'df -P -k </dev/null 2>/dev/null'];

/** The disk probe on its own (Linux hosts: the light probe told). */
export const HOST_DISK_PROBE_COMMAND = [...DISK_SECTIONS, section('end'), 'unset bt_l'].join('\n');

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

/**
 * The disks from parsed sections: undefined when neither disk section is
 * there (the light probe); one without the other is a cut stream. Throws ProbeError.
 */
export function disksFromSections(sections: ReadonlyMap<string, string[]>, output: string): DiskUsage[] | undefined {
  if (!sections.has('df') && !sections.has('mounts')) return undefined;
  return selectRealDisks(parseDf(needSection(sections, 'df', output), parseMounts(needSection(sections, 'mounts', output))));
}

export type DiskProbeResult = { kind: 'disks'; disks: DiskUsage[] } | { kind: 'parse-error'; message: string; raw: string };

/** Parses the output of HOST_DISK_PROBE_COMMAND. Never throws: bad output is a parse-error with the snippet. */
export function parseDiskProbe(output: string): DiskProbeResult {
  try {
    const sections = splitSections(output);
    if (!sections.has('end')) throw new ProbeError(`disk probe: output ended before ${MARK}end (cut off)`, output.slice(0, RAW_LIMIT));
    const disks = disksFromSections(sections, output);
    if (disks === undefined) throw new ProbeError(`disk probe: sections ${MARK}mounts and ${MARK}df are missing`, output.slice(0, RAW_LIMIT));
    return { kind: 'disks', disks };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `disk probe: parser failed: ${err instanceof Error ? err.message : 'unknown error'}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}
