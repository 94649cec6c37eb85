// How a host is sampled, per transport kind: SSH hosts run the probe script
// over the long-lived shell, disks on a lane of their own (disk-watch.ts);
// the local host asks systeminformation.
import { HOST_PROBE_LIGHT_COMMAND, parseHostProbe } from '../probes/host.js';
import { sampleLocalHost } from '../probes/host-local.js';
import type { HostProbeResult } from '../probes/host-metrics.js';
import { MAIN_LANE, TransportError, type Transport } from '../transport/types.js';
import { DiskWatch } from './disk-watch.js';

export type HostSampler = ((transport: Transport, takenAt: number) => Promise<HostProbeResult>) & {
  /** Resolves when work a sample left running in the background has ended (a one-shot run waits for its disks). */
  settled?(): Promise<void>;
};

/** Disks are read this often while they answer; polls in between use the light probe alone. */
export const DISK_SAMPLE_EVERY_MS = 10_000;
/** The longest wait between disk tries while df times out. */
export const DISK_BACKOFF_MAX_MS = 5 * 60_000;

export interface RemoteSamplerOptions {
  diskEveryMs?: number;
  diskBackoffMaxMs?: number;
  now?: () => number;
  /** One-shot runs: disks in the main shell, df bounded by this timeout (see DiskWatchOptions.lane). */
  oneShotDiskTimeoutMs?: number;
}

/** A sampler for one remote host (it keeps that host's disk schedule). */
export function createRemoteHostSampler(options: RemoteSamplerOptions = {}): HostSampler {
  const disks = new DiskWatch({
    everyMs: options.diskEveryMs ?? DISK_SAMPLE_EVERY_MS,
    maxEveryMs: options.diskBackoffMaxMs ?? DISK_BACKOFF_MAX_MS,
    now: options.now ?? Date.now,
    ...(options.oneShotDiskTimeoutMs === undefined ? {} : { lane: MAIN_LANE, timeoutMs: options.oneShotDiskTimeoutMs }),
  });
  const sample = async (transport: Transport, takenAt: number): Promise<HostProbeResult> => {
    // The light probe is builtins only: it runs inline, without a fork.
    const result = await sampleLight(transport, takenAt);
    if (result.kind !== 'sample') return result;
    // Not awaited: figures read now come with the next sample, and a hung df holds up nothing.
    void disks.poll(transport);
    return { kind: 'sample', sample: { ...result.sample, ...disks.take() } };
  };
  return Object.assign(sample, { settled: () => disks.idle() });
}

async function sampleLight(transport: Transport, takenAt: number): Promise<HostProbeResult> {
  const result = await transport.run(HOST_PROBE_LIGHT_COMMAND, { inline: true });
  if (result.timedOut) {
    throw new TransportError('timed-out', `${transport.hostId}: host probe timed out after ${result.durationMs} ms`, 'the host is overloaded (reading /proc took too long); its shell was killed on the host');
  }
  const parsed = parseHostProbe(result.stdout, takenAt);
  if (parsed.kind === 'parse-error' && result.code !== 0) {
    const stderr = result.stderr.trim().slice(0, 300);
    throw new TransportError('command-failed', `${transport.hostId}: host probe exited ${result.code}${stderr ? `: ${stderr}` : ''}`);
  }
  return parsed;
}

export const localHostSampler: HostSampler = (_transport, takenAt) => sampleLocalHost(takenAt);
