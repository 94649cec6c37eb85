// Reading a Pacemaker cluster over the hosts' existing transports: which
// clusters the inventory has (hosts with the pacemaker role, by cluster
// name), and one node's `crm_mon --output-as=xml` + cli constraints (the HA
// pane's probe command and parser). Any node speaks for its cluster: the
// first that answers wins. Shared by observe and verify.
import type { Inventory } from '../../../inventory/types.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe, type PacemakerSnapshot } from '../../../probes/pacemaker.js';
import type { Transport } from '../../../transport/types.js';

export const DEFAULT_CLUSTER = 'pacemaker';
const READ_TIMEOUT_MS = 15_000;

/** Cluster name -> its hosts, in inventory order (the probe's own grouping). */
export function pacemakerClusters(inventory: Inventory): Map<string, string[]> {
  const clusters = new Map<string, string[]>();
  for (const h of inventory.hosts) {
    if (!h.roles.pacemaker) continue;
    const name = h.roles.pacemaker.cluster ?? DEFAULT_CLUSTER;
    clusters.set(name, [...(clusters.get(name) ?? []), h.id]);
  }
  return clusters;
}

export type ClusterRead = { ok: true; host: string; snapshot: PacemakerSnapshot } | { ok: false; error: string };

/** Runs a command on a host, connecting its transport first when needed. */
export async function runOn(transports: ReadonlyMap<string, Transport>, host: string, command: string, timeoutMs = READ_TIMEOUT_MS): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const t = transports.get(host);
  if (!t) throw new Error(`${host}: no transport`);
  if (t.state !== 'up') await t.connect();
  return t.exec(command, { timeoutMs });
}

/** The first of `hosts` whose crm_mon answers; else why none did, host by host. */
export async function readCluster(transports: ReadonlyMap<string, Transport>, hosts: readonly string[]): Promise<ClusterRead> {
  const why: string[] = [];
  for (const host of hosts) {
    try {
      const r = await runOn(transports, host, PACEMAKER_PROBE_COMMAND);
      const parsed = parsePacemakerProbe(r.stdout);
      if (parsed.kind === 'snapshot') return { ok: true, host, snapshot: parsed.snapshot };
      why.push(`${host}: ${parsed.message}`);
    } catch (err) {
      why.push(`${host}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { ok: false, error: why.join('; ') || 'no host has the pacemaker role' };
}
