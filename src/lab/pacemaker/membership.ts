// Stand-in for the two daemons the lab does not run: corosync (membership and
// quorum) and pacemaker-controld (DC election, the version it records). In a
// real cluster they write these facts into the CIB; here the lab writes them,
// with Pacemaker's own tools, whenever a node joins or fails. Everything else
// (where resources go, recovery, constraints) is decided by the real
// scheduler inside crm_simulate.
import { runPcmkTool } from './pcmk-tool.js';
import { child, childrenNamed, parseXml } from '../../probes/xml-tree.js';

export interface Membership {
  /** Configured nodes in id order. */
  nodes: Array<{ id: string; name: string; online: boolean }>;
  dcId: string;
}

/** Members as the status section records them: in the membership layer and with a controller. */
export function readMembership(cibXml: string): Membership {
  const cib = parseXml(cibXml);
  const states = childrenNamed(child(cib, 'status'), 'node_state');
  const nodes = childrenNamed(child(child(cib, 'configuration'), 'nodes'), 'node').map((n) => {
    const state = states.find((s) => s.attrs.id === n.attrs.id);
    return { id: n.attrs.id ?? '', name: n.attrs.uname ?? '', online: state?.attrs.in_ccm === 'true' && state.attrs.crmd === 'online' };
  });
  return { nodes, dcId: cib.attrs['dc-uuid'] ?? '' };
}

/** Corosync's votequorum with one vote per node: a strict majority. */
export function hasQuorum(online: number, total: number): boolean {
  return online * 2 > total;
}

/** The DC stays where it is while its node is up; otherwise the first member by id takes over, as after an election. */
export function electDc(membership: Membership, onlineAfter: readonly string[]): string {
  const up = membership.nodes.filter((n) => onlineAfter.includes(n.name));
  return up.some((n) => n.id === membership.dcId) ? membership.dcId : (up[0]?.id ?? '');
}

export async function recordDc(work: string, dcId: string): Promise<void> {
  await runPcmkTool('cibadmin', ['--modify', '--xml-text', `<cib dc-uuid="${dcId}"/>`], work);
}

/** 'Pacemaker 2.1.5 (Build: a3f44794f94)' -> '2.1.5-a3f44794f94', the form the controller records as dc-version. */
export async function recordDcVersion(work: string): Promise<void> {
  const { stdout } = await runPcmkTool('pacemakerd', ['--features'], work);
  const m = /Pacemaker (\S+) \(Build: (\w+)\)/.exec(stdout);
  if (m) await runPcmkTool('crm_attribute', ['--type', 'crm_config', '--name', 'dc-version', '--update', `${m[1]}-${m[2]}`], work);
}
