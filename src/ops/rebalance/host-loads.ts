// Host loads for the rebalance planner and its verify, as the Cluster load
// pane computes them ((CPU % + memory %) / 2, capacity from the inventory).
// The console's store has them already; a host without a fresh reading (the
// CLI never polls) is read with the host probe's own command twice, a
// second apart, since CPU % needs two samples.
import { HOST_PROBE_LIGHT_COMMAND, deriveMetrics, parseHostProbe } from '../../probes/host.js';
import type { HostSample } from '../../probes/host-metrics.js';
import { hostCapacity, hostLoadPercent } from '../../store/fleet-load.js';
import type { LiveContext } from '../engine/registry.js';
import { runOnHost, sleep } from '../failover/host-command.js';
import type { FleetHost } from './load-model.js';

const READ_TIMEOUT_MS = 10_000;
const SAMPLE_GAP_MS = 1_000;
/** A store reading older than this is read again. */
const FRESH_MS = 5_000;

export interface HostLoads {
  hosts: FleetHost[];
  /** Hosts whose load could not be known, and why. */
  unknown: { id: string; why: string }[];
}

async function sample(ctx: LiveContext, id: string): Promise<HostSample | string> {
  const r = await runOnHost(ctx, id, HOST_PROBE_LIGHT_COMMAND, READ_TIMEOUT_MS);
  if (!r.ok) return r.error;
  const parsed = parseHostProbe(r.result.stdout, Date.now());
  if (parsed.kind === 'sample') return parsed.sample;
  return parsed.kind === 'unsupported' ? `unsupported: ${parsed.system}` : parsed.message;
}

function fromStore(ctx: LiveContext, id: string): number | null {
  const host = ctx.state.hosts[id];
  if (!host || host.conn !== 'up' || !host.metrics || host.updatedAt === undefined || ctx.now() - host.updatedAt > FRESH_MS) return null;
  return hostLoadPercent(host.metrics);
}

/** Loads of every inventory host, in inventory order; those that cannot be read are listed apart. */
export async function readHostLoads(ctx: LiveContext): Promise<HostLoads> {
  const specs = ctx.inventory.hosts;
  const loads = await Promise.all(
    specs.map(async (spec): Promise<number | string> => {
      const stored = fromStore(ctx, spec.id);
      if (stored !== null) return stored;
      const first = await sample(ctx, spec.id);
      if (typeof first === 'string') return first;
      await sleep(SAMPLE_GAP_MS);
      const second = await sample(ctx, spec.id);
      if (typeof second === 'string') return second;
      return hostLoadPercent(deriveMetrics(first, second)) ?? `${spec.id}: CPU % unknown (the counters did not advance)`;
    }),
  );
  const out: HostLoads = { hosts: [], unknown: [] };
  specs.forEach((spec, i) => {
    const load = loads[i]!;
    if (typeof load === 'number') out.hosts.push({ id: spec.id, load, capacity: hostCapacity(spec) });
    else out.unknown.push({ id: spec.id, why: load });
  });
  return out;
}
