// What a host probe yields. Counters are raw (from /proc) so that rates can be
// derived from two samples; HostMetrics is what the store and UI show.

export interface DiskUsage {
  mount: string;
  fstype: string;
  sizeBytes: number;
  usedBytes: number;
  usedPercent: number;
}

/**
 * Why a host's disk figures are not fresh while the rest of it answers: the
 * disk probe (df) timed out and was killed, or its output did not parse.
 * The figures shown, if any, are from before `since`.
 */
export interface DiskProbeProblem {
  kind: 'timed-out' | 'failed';
  message: string;
  /** The output that did not parse (failed only). */
  raw?: string;
  /** When the first of the failed attempts in a row started. */
  since: number;
  /** Failed attempts in a row; after a timeout the wait before the next one doubles. */
  failures: number;
  /** When the disk probe is tried again. */
  retryAt: number;
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
  /** Set while the disk probe fails (the previous figures stand). */
  disksProblem?: DiskProbeProblem;
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
  /** null while disks answer; otherwise why `disks` is not fresh. */
  disksProblem: DiskProbeProblem | null;
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
