// Faults of the real cluster, made the way they happen, and what the
// cluster did about them, as crm_mon on a surviving node shows it:
// - a node crashes: every process of it SIGKILLed (corosync, pacemakerd and
//   its daemons, the resources' processes) and its link down, as a dead
//   machine stops answering for the VIP it held; the others notice when
//   corosync's token is lost. Heal boots it again: its runtime state (/run,
//   the addresses on eth0) is gone, as after a reboot, and it rejoins.
// - a resource fails: its process killed (nginx), its address removed
//   (the VIP) or its state file removed (ping); its next monitor finds it
//   not running. Heal is crm_resource --cleanup.
import { epochMs } from '../component.js';
import { GROUP_ID, NODES } from '../pacemaker/cluster-definition.js';
import type { ClusterView } from '../pacemaker/crm-mon.js';
import { hasQuorum } from '../pacemaker/membership.js';
import { describeMoves } from '../pacemaker/outcome.js';
import { resetNodeAddresses, setNodeLink } from './node-network.js';
import { NODE_INTERFACE, SUBNET_PREFIX, vethName, VIP } from './real-cluster-files.js';
import type { RealCluster } from './real-cluster.js';
import type { RealNode } from './real-node.js';

/** Longest a fault's outcome is waited for: corosync's token, a 10 s monitor, recovery, with room for a loaded machine. */
const REACTION_TIMEOUT_MS = 40_000;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const isOnline = (view: ClusterView, node: string) => view.nodes.find((n) => n.name === node)?.online === true;

export async function failNode(cluster: RealCluster, node: RealNode, tookEffect?: (at?: number) => void): Promise<string> {
  if (node.crashed) return `${node.node} is already down`;
  const before = await cluster.view();
  const started = Date.now();
  await setNodeLink(node.node, false);
  const killed = await node.crash();
  tookEffect?.(epochMs());
  const survivors = cluster.nodes.filter((n) => !n.crashed).length;
  const what = `${node.node} crashed: ${[...new Set(killed.map((p) => p.program))].join(', ')} killed (SIGKILL), link ${vethName(node.node)} down`;
  if (survivors === 0) return `${what}; no node is left to take over`;
  const quorate = hasQuorum(survivors, NODES.length);
  const held = (before.placement.get(GROUP_ID) ?? []).includes(node.node);
  const after = await cluster.waitFor(`the other nodes seeing ${node.node} offline`, REACTION_TIMEOUT_MS, (v) => {
    if (isOnline(v, node.node)) return false;
    return !held || !quorate || (v.placement.get(GROUP_ID) ?? []).some((n) => n !== node.node);
  });
  const quorum = quorate ? '' : '; quorum lost: no-quorum-policy=stop stops every resource';
  return `${what}; the others reacted within ${seconds(started)}${quorum}: ${describeMoves(before, after) ?? 'no resource had to move'}`;
}

export async function healNode(cluster: RealCluster, node: RealNode): Promise<string> {
  if (!node.crashed) return `${node.node} is already online`;
  const before = await cluster.view();
  const started = Date.now();
  await resetNodeAddresses(node.node);
  await setNodeLink(node.node, true);
  await node.boot();
  const after = await cluster.waitFor(`${node.node} rejoining`, REACTION_TIMEOUT_MS, (v) => isOnline(v, node.node) && (v.placement.get('ping-clone') ?? []).includes(node.node));
  return `${node.node} booted and rejoined in ${seconds(started)}; ${describeMoves(before, after) ?? 'resources stay where they are (resource-stickiness)'}`;
}

/** Breaks what the resource's monitor checks, on `node`; returns how, for the operator. */
async function breakResource(node: RealNode, resource: string): Promise<string> {
  switch (resource) {
    case 'web-vip':
      await node.run(['ip', 'addr', 'del', `${VIP}/${SUBNET_PREFIX}`, 'dev', NODE_INTERFACE]);
      return `${VIP} removed from ${node.node}'s ${NODE_INTERFACE}`;
    case 'web-server': {
      const nginx = node.processes().filter((p) => p.program === 'nginx');
      if (nginx.length === 0) throw new Error(`web-server runs on ${node.node} but no nginx process is there`);
      for (const p of nginx) process.kill(p.pid, 'SIGKILL');
      return `nginx killed on ${node.node} (SIGKILL)`;
    }
    default:
      // ocf:pacemaker:ping is running while its state file exists: HA_VARRUN/ping-<its name parameter, pingd by default>.
      await node.run(['rm', '/run/ping-pingd']);
      return `${resource}'s state file /run/ping-pingd removed on ${node.node}`;
  }
}

export async function failResource(cluster: RealCluster, resource: string, tookEffect?: (at?: number) => void): Promise<string> {
  const before = await cluster.view();
  const where = (before.primitives.get(resource) ?? []).find((n) => !cluster.node(n).crashed);
  if (!where) throw new Error(`${resource} is not running anywhere: there is nothing to fail`);
  const started = Date.now();
  const how = await breakResource(cluster.node(where), resource);
  tookEffect?.(epochMs());
  await cluster.waitFor(`the monitor of ${resource} noticing`, REACTION_TIMEOUT_MS, (v) => v.failures.some((f) => f.resource === resource && f.node === where));
  const after = await cluster.settled();
  const count = after.failCounts.get(`${resource}@${where}`) ?? 0;
  return `${how}: its monitor failed (not running), fail-count ${count}; ${describeMoves(before, after) ?? `Pacemaker restarted it on ${where}`} within ${seconds(started)}`;
}

export async function healResource(cluster: RealCluster, resource: string): Promise<string> {
  const before = await cluster.view();
  const hadFailures = before.failures.some((f) => f.resource === resource) || [...before.failCounts.keys()].some((k) => k.startsWith(`${resource}@`));
  if (!hadFailures) return `${resource} has no failures to clean up`;
  const asked = cluster.nodes.find((n) => !n.crashed);
  if (!asked) throw new Error('every node is down: boot one first (baton lab heal pacemaker:node1)');
  await asked.run(['crm_resource', '--cleanup', '--resource', resource], 30_000);
  await cluster.waitFor(`the failures of ${resource} clearing`, REACTION_TIMEOUT_MS, (v) => !v.failures.some((f) => f.resource === resource));
  const after = await cluster.settled();
  const moves = describeMoves(before, after);
  return `${resource} cleaned up (crm_resource --cleanup): failed actions and fail counts cleared${moves ? `; ${moves}` : ''}`;
}
