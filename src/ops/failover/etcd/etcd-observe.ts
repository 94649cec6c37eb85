// The etcd cluster as the probe sees it, read before planning and again to
// verify: the probe's command on the etcd hosts in inventory order, the
// first whose answer lists the members wins (a down member cannot speak for
// the cluster). Also which inventory host runs a member, to ask it there.
import type { EtcdRole, HostSpec, Inventory } from '../../../inventory/types.js';
import { etcdProbeCommand, parseEtcdProbe, type EtcdMember, type EtcdSnapshot } from '../../../probes/etcd.js';
import { addressOf } from '../../../probes/etcd-json.js';
import type { LiveContext } from '../../engine/registry.js';
import { runOnHost } from '../host-command.js';

const PROBE_TIMEOUT_MS = 10_000;

export type EtcdFacts = { snapshot: EtcdSnapshot; answeredBy: string } | { error: string };

export const etcdHosts = (inventory: Inventory): HostSpec[] => inventory.hosts.filter((h) => h.roles.etcd);

export async function observeEtcd(ctx: LiveContext): Promise<EtcdFacts> {
  const hosts = etcdHosts(ctx.inventory);
  if (hosts.length === 0) return { error: 'no host of the inventory has the etcd role' };
  const errors: string[] = [];
  for (const host of hosts) {
    const r = await runOnHost(ctx, host.id, etcdProbeCommand(host.roles.etcd!), PROBE_TIMEOUT_MS);
    if (!r.ok) {
      errors.push(r.error);
      continue;
    }
    const parsed = parseEtcdProbe(r.result.stdout);
    if (parsed.kind === 'snapshot' && parsed.snapshot.members.length > 0) return { snapshot: parsed.snapshot, answeredBy: host.id };
    errors.push(`${host.id}: ${parsed.kind === 'snapshot' ? (parsed.snapshot.problems[0] ?? 'no members listed') : parsed.message}`);
  }
  return { error: `no etcd member answered: ${errors.join('; ')}` };
}

/** Where to run etcdctl against a member: its own host (with the role's endpoint), else the host that answered. */
export function hostFor(inventory: Inventory, member: EtcdMember, answeredBy: string): { hostId: string; role: EtcdRole; endpoint: string } {
  const own = member.endpoint === null ? undefined : etcdHosts(inventory).find((h) => h.roles.etcd!.endpoint && addressOf(h.roles.etcd!.endpoint) === addressOf(member.endpoint!));
  if (own) return { hostId: own.id, role: own.roles.etcd!, endpoint: own.roles.etcd!.endpoint! };
  const answering = inventory.hosts.find((h) => h.id === answeredBy)!;
  return { hostId: answeredBy, role: answering.roles.etcd ?? {}, endpoint: member.endpoint ?? answering.roles.etcd?.endpoint ?? '' };
}

/** A member by name, by hex id (as etcdctl prints it) or by decimal id. */
export function findMember(snapshot: EtcdSnapshot, text: string): EtcdMember | undefined {
  const hex = /^[0-9a-f]{1,16}$/i.test(text) ? BigInt(`0x${text}`).toString() : undefined;
  return snapshot.members.find((m) => m.name === text) ?? snapshot.members.find((m) => m.id !== null && (m.id === text || m.id === hex));
}

export const hexId = (decimal: string): string => BigInt(decimal).toString(16);

export const memberLabel = (m: EtcdMember): string => m.name || (m.id ? hexId(m.id) : (m.endpoint ?? '?'));
