// What a host probe yields. Counters are raw (from /proc) so that rates can be
// derived from two samples; HostMetrics is what the store and UI show.

export interface DiskUsage {
  mount: string;
  fstype: string;
  sizeBytes: number;
  usedBytes: number;
  usedPercent: number;
}

/** One raw sample from a Linux host: counters, not rates. */
export interface HostSample {
  /** Milliseconds (the collector's clock) when the sample was taken. */
  takenAt: number;
  load1: number;
  load5: number;
  load15: number;
  cores: number;
  /** Aggregate "cpu" line of /proc/stat: total and idle (idle + iowait) jiffies. */
  cpuTotalJiffies: number;
  cpuIdleJiffies: number;
  memTotalBytes: number;
  memAvailableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
  /** Undefined when the light probe skipped disks: the previous figures stand. */
  disks: DiskUsage[] | undefined;
  /** Summed over non-loopback interfaces. */
  rxBytes: number;
  txBytes: number;
  uptimeSeconds: number;
  kernel: string;
  os: string;
}

/** What the console and --once --json show. null = not known yet (needs two samples). */
export interface HostMetrics {
  load1: number;
  load5: number;
  load15: number;
  cores: number;
  cpuPercent: number | null;
  memUsedPercent: number;
  memTotalBytes: number;
  swapUsedPercent: number | null;
  disks: DiskUsage[];
  diskUsedPercentMax: number | null;
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
  uptimeSeconds: number;
  kernel: string;
  os: string;
}

/** Outcome of parsing one probe output; a parser never throws. */
export type HostProbeResult =
  | { kind: 'sample'; sample: HostSample }
  | { kind: 'unsupported'; system: string }
  | { kind: 'parse-error'; message: string; raw: string };
