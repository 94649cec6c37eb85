// How a host is sampled, per transport kind: SSH hosts run the probe script
// over the long-lived shell; the local host asks systeminformation.
import { HOST_PROBE_COMMAND, HOST_PROBE_LIGHT_COMMAND, parseHostProbe } from '../probes/host.js';
import { sampleLocalHost } from '../probes/host-local.js';
import type { HostProbeResult } from '../probes/host-metrics.js';
import { TransportError, type Transport } from '../transport/types.js';

export type HostSampler = (transport: Transport, takenAt: number) => Promise<HostProbeResult>;

/** Disks are sampled this often; polls in between use the light probe. */
export const DISK_SAMPLE_EVERY_MS = 10_000;

/** A sampler for one remote host (it remembers when that host's disks were last read). */
export function createRemoteHostSampler(diskEveryMs = DISK_SAMPLE_EVERY_MS): HostSampler {
  let disksAt = -Infinity;
  return async (transport, takenAt) => {
    const withDisks = takenAt - disksAt >= diskEveryMs;
    // The light probe is builtins only: it runs inline, without a fork.
    const result = await sampleRemote(transport, takenAt, withDisks ? HOST_PROBE_COMMAND : HOST_PROBE_LIGHT_COMMAND, !withDisks);
    if (withDisks && result.kind === 'sample') disksAt = takenAt;
    return result;
  };
}

async function sampleRemote(transport: Transport, takenAt: number, command: string, inline: boolean): Promise<HostProbeResult> {
  const result = await transport.run(command, { inline });
  if (result.timedOut) {
    throw new TransportError('timed-out', `${transport.hostId}: host probe timed out after ${result.durationMs} ms`, 'the host is overloaded or a mount hangs (df); the command was killed on the host');
  }
  const parsed = parseHostProbe(result.stdout, takenAt);
  // df exits non-zero when one mount is unreadable; the rest is still good.
  if (parsed.kind === 'parse-error' && result.code !== 0) {
    const stderr = result.stderr.trim().slice(0, 300);
    throw new TransportError('command-failed', `${transport.hostId}: host probe exited ${result.code}${stderr ? `: ${stderr}` : ''}`);
  }
  return parsed;
}

export const localHostSampler: HostSampler = (_transport, takenAt) => sampleLocalHost(takenAt);
