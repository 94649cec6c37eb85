// How a host is sampled, per transport kind: SSH hosts run the probe script
// over the long-lived shell; the local host asks systeminformation.
import { HOST_PROBE_COMMAND, parseHostProbe } from '../probes/host.js';
import { sampleLocalHost } from '../probes/host-local.js';
import type { HostProbeResult } from '../probes/host-metrics.js';
import { TransportError, type Transport } from '../transport/types.js';

export type HostSampler = (transport: Transport, takenAt: number) => Promise<HostProbeResult>;

export const remoteHostSampler: HostSampler = async (transport, takenAt) => {
  const result = await transport.run(HOST_PROBE_COMMAND);
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
};

export const localHostSampler: HostSampler = (_transport, takenAt) => sampleLocalHost(takenAt);
