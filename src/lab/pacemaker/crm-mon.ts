// The cluster as the real `crm_mon --output-as=xml` reports it: what the lab
// shows in `lab status` and uses to word fault outcomes. Only the fields the
// lab needs; the HA pane's probe has its own, fuller parser.
import { runPcmkTool } from './pcmk-tool.js';
import { child, childrenNamed, descendants, parseXml, type XmlElement } from '../../probes/xml-tree.js';

export interface NodeView {
  name: string;
  online: boolean;
  standby: boolean;
  unclean: boolean;
}

export interface FailedAction {
  resource: string;
  node: string;
  opKey: string;
  exitCode: string;
}

export interface ClusterView {
  nodes: NodeView[];
  dc: string | undefined;
  quorum: boolean;
  /** Top-level resource (group, clone or primitive) -> nodes it is active on, sorted. */
  placement: Map<string, string[]>;
  /** Primitive -> nodes it is active on, sorted. */
  primitives: Map<string, string[]>;
  failures: FailedAction[];
  /** 'resource@node' -> fail count, for every non-zero count. */
  failCounts: Map<string, number>;
}

function activeNodes(resources: XmlElement[]): string[] {
  const nodes = resources.flatMap((r) => (r.attrs.active === 'true' ? childrenNamed(r, 'node').map((n) => n.attrs.name ?? '') : []));
  return [...new Set(nodes)].filter(Boolean).sort();
}

export function parseCrmMon(xml: string): ClusterView {
  const root = parseXml(xml);
  const dc = child(child(root, 'summary'), 'current_dc');
  const placement = new Map<string, string[]>();
  const primitives = new Map<string, string[]>();
  for (const top of child(root, 'resources')?.children ?? []) {
    const members = top.name === 'resource' ? [top] : descendants(top, 'resource');
    placement.set(top.attrs.id ?? '', activeNodes(members));
    for (const m of members) {
      const id = m.attrs.id ?? '';
      primitives.set(id, [...new Set([...(primitives.get(id) ?? []), ...activeNodes([m])])].sort());
    }
  }
  const failCounts = new Map<string, number>();
  for (const node of childrenNamed(child(root, 'node_history'), 'node')) {
    for (const history of childrenNamed(node, 'resource_history')) {
      const count = Number(history.attrs['fail-count'] ?? 0);
      if (count > 0) failCounts.set(`${history.attrs.id}@${node.attrs.name}`, count);
    }
  }
  return {
    nodes: childrenNamed(child(root, 'nodes'), 'node').map((n) => ({
      name: n.attrs.name ?? '',
      online: n.attrs.online === 'true',
      standby: n.attrs.standby === 'true',
      unclean: n.attrs.unclean === 'true',
    })),
    dc: dc?.attrs.present === 'true' ? dc.attrs.name : undefined,
    quorum: dc?.attrs.with_quorum === 'true',
    placement,
    primitives,
    failures: childrenNamed(child(root, 'failures'), 'failure').map((f) => {
      const opKey = f.attrs.op_key ?? '';
      // op_key is <resource>_<task>_<interval ms>; the task itself may hold '_' (migrate_to).
      const suffix = `_${f.attrs.task ?? ''}_${f.attrs.interval ?? ''}`;
      return {
        resource: opKey.endsWith(suffix) ? opKey.slice(0, -suffix.length) : opKey,
        node: f.attrs.node ?? '',
        opKey,
        exitCode: f.attrs.exitcode ?? '',
      };
    }),
    failCounts,
  };
}

/** cibFile undefined: the cluster running on this machine (or on the node `via` enters). */
export async function readClusterView(cibFile: string | undefined, signal?: AbortSignal, via?: readonly string[]): Promise<ClusterView> {
  const { stdout } = await runPcmkTool('crm_mon', ['--output-as=xml', '-1'], cibFile, signal, via);
  return parseCrmMon(stdout);
}
