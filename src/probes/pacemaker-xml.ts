// Reads the XML of crm_mon 2.x (--output-as=xml) and of `cibadmin --query
// --scope constraints` into the Pacemaker snapshot. Throws XmlProblem (see
// xml-tree.ts), with the offset of the trouble, for the probe to turn into a
// parse error.
import type {
  PacemakerBan,
  PacemakerCliConstraint,
  PacemakerCollection,
  PacemakerFailCount,
  PacemakerFailure,
  PacemakerNode,
  PacemakerNodeState,
  PacemakerResource,
  PacemakerResourceRole,
  PacemakerSnapshot,
} from './pacemaker-types.js';
import { child, childrenNamed as children, descendants, parseXml, XmlProblem, type XmlElement } from './xml-tree.js';

const isTrue = (value: string | undefined) => value === 'true';

/** Pacemaker scores: integers capped at ±1000000, which it prints as (+/-)INFINITY. */
function score(value: string | undefined): number | null {
  if (value === undefined) return null;
  const t = value.trim();
  if (/^[+-]?INFINITY$/i.test(t)) return t.startsWith('-') ? -1_000_000 : 1_000_000;
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : null;
}

function nodeState(a: Record<string, string>): PacemakerNodeState {
  if (isTrue(a.unclean)) return 'unclean';
  if (!isTrue(a.online)) return 'offline';
  if (isTrue(a.pending)) return 'pending';
  if (isTrue(a.maintenance)) return 'maintenance';
  if (isTrue(a.standby) || isTrue(a.standby_onfail)) return 'standby';
  return 'online';
}

function readNode(el: XmlElement): PacemakerNode {
  const a = el.attrs;
  return {
    name: a.name ?? '',
    id: a.id ?? '',
    state: nodeState(a),
    online: isTrue(a.online),
    standby: isTrue(a.standby) || isTrue(a.standby_onfail),
    maintenance: isTrue(a.maintenance),
    unclean: isTrue(a.unclean),
    isDc: isTrue(a.is_dc),
    resourcesRunning: score(a.resources_running) ?? 0,
  };
}

const ROLES: Record<string, PacemakerResourceRole> = {
  Started: 'Started', Stopped: 'Stopped', Promoted: 'Promoted', Unpromoted: 'Unpromoted', Master: 'Promoted', Slave: 'Unpromoted',
};

interface History {
  failCounts: PacemakerFailCount[];
  migrationThreshold: number | null;
}

/** Resource id -> fail counts per node and migration threshold, from <node_history>. */
function readHistory(root: XmlElement): Map<string, History> {
  const history = new Map<string, History>();
  for (const node of children(child(root, 'node_history'), 'node')) {
    for (const rh of children(node, 'resource_history')) {
      const id = rh.attrs.id ?? '';
      const entry = history.get(id) ?? { failCounts: [], migrationThreshold: null };
      entry.migrationThreshold ??= score(rh.attrs['migration-threshold']);
      const count = score(rh.attrs['fail-count']);
      if (count) entry.failCounts.push({ node: node.attrs.name ?? '', count });
      history.set(id, entry);
    }
  }
  return history;
}

interface Nesting {
  group: string | null;
  clone: string | null;
}

/** Walks groups, clones and bundles (replicas included) down to the primitives. */
function readResources(el: XmlElement | undefined, history: Map<string, History>): { resources: PacemakerResource[]; collections: PacemakerCollection[] } {
  const resources: PacemakerResource[] = [];
  const collections: PacemakerCollection[] = [];
  const walk = (parent: XmlElement | undefined, nest: Nesting): void => {
    for (const c of parent?.children ?? []) {
      const a = c.attrs;
      const id = a.id ?? '';
      if (c.name === 'resource') {
        const h = history.get(id);
        resources.push({
          id,
          agent: a.resource_agent ?? '',
          ...nest,
          role: ROLES[a.role ?? ''] ?? 'Unknown',
          nodes: children(c, 'node').map((n) => n.attrs.name ?? ''),
          active: isTrue(a.active),
          managed: isTrue(a.managed),
          failed: isTrue(a.failed),
          blocked: isTrue(a.blocked),
          failCounts: h?.failCounts ?? [],
          migrationThreshold: h?.migrationThreshold ?? null,
        });
      } else if (c.name === 'group' || c.name === 'clone' || c.name === 'bundle') {
        collections.push({ id, kind: c.name, managed: isTrue(a.managed), disabled: isTrue(a.disabled), promotable: isTrue(a.multi_state) });
        walk(c, c.name === 'group' ? { ...nest, group: id } : { group: null, clone: id });
      } else if (c.name === 'replica') walk(c, nest);
    }
  };
  walk(el, { group: null, clone: null });
  return { resources, collections };
}

function readBan(el: XmlElement): PacemakerBan {
  const a = el.attrs;
  return { id: a.id ?? '', resource: a.resource ?? '', node: a.node ?? '', weight: score(a.weight), promotedOnly: isTrue(a['promoted-only'] ?? a.master_only) };
}

function readFailure(el: XmlElement): PacemakerFailure {
  const a = el.attrs;
  const opKey = a.op_key ?? '';
  const suffix = `_${a.task ?? ''}_${a.interval ?? ''}`;
  const resource = opKey.endsWith(suffix) ? opKey.slice(0, -suffix.length) : (/^(.+)_[^_]+_\d+$/.exec(opKey)?.[1] ?? opKey);
  return {
    resource,
    node: a.node ?? '',
    opKey,
    task: a.task ?? '',
    exitStatus: a.exitstatus ?? '',
    exitReason: a.exitreason ?? '',
    exitCode: score(a.exitcode),
    status: a.status ?? '',
    time: a['last-rc-change'] || null,
  };
}

/** Everything but the constraints, from crm_mon's XML. */
export function parseCrmMonXml(xml: string): Omit<PacemakerSnapshot, 'constraints'> {
  const root = parseXml(xml, 'crm_mon');
  if (root.name !== 'pacemaker-result') throw new XmlProblem(`crm_mon: expected <pacemaker-result>, got <${root.name}>`, xml.indexOf('<'));
  const summary = child(root, 'summary');
  if (!summary) {
    // No cluster to report on: crm_mon says why in <status>, e.g. code 102 "Not connected".
    const status = child(root, 'status');
    const errors = status ? descendants(status, 'error').map((e) => e.text.trim()) : [];
    const code = status?.attrs.code ?? '?';
    throw new XmlProblem(`crm_mon: no cluster status (${status?.attrs.message ?? 'no <status>'}, code ${code})${errors.length ? `: ${errors.join('; ')}` : ''}`, xml.indexOf('<'));
  }
  const dc = child(summary, 'current_dc')?.attrs ?? {};
  const options = child(summary, 'cluster_options')?.attrs ?? {};
  return {
    stack: child(summary, 'stack')?.attrs.type ?? null,
    dc: { present: isTrue(dc.present), name: isTrue(dc.present) ? (dc.name ?? null) : null, version: dc.version ?? null },
    withQuorum: isTrue(dc.with_quorum),
    maintenanceMode: isTrue(options['maintenance-mode']),
    stonithEnabled: isTrue(options['stonith-enabled']),
    lastUpdate: child(summary, 'last_update')?.attrs.time || null,
    nodes: children(child(root, 'nodes'), 'node').map(readNode),
    ...readResources(child(root, 'resources'), readHistory(root)),
    bans: children(child(root, 'bans'), 'ban').map(readBan),
    failures: children(child(root, 'failures'), 'failure').map(readFailure),
  };
}

/** Where a --lifetime move puts its node: a rule `#uname eq <node>`. */
function ruleNode(rule: XmlElement | undefined): string | null {
  const expr = children(rule, 'expression').find((e) => e.attrs.attribute === '#uname' && e.attrs.operation === 'eq');
  return expr?.attrs.value ?? null;
}

/** The cli-prefer-* and cli-ban-* location constraints in `cibadmin --query --scope constraints`. */
export function parseCliConstraints(xml: string): PacemakerCliConstraint[] {
  const root = parseXml(xml, 'constraints');
  const locations = root.name === 'rsc_location' ? [root] : descendants(root, 'rsc_location');
  return locations.flatMap((el): PacemakerCliConstraint[] => {
    const a = el.attrs;
    const id = a.id ?? '';
    const kind = id.startsWith('cli-prefer-') ? 'prefer' : id.startsWith('cli-ban-') ? 'ban' : undefined;
    if (!kind) return [];
    const rule = child(el, 'rule');
    const expires = children(rule, 'date_expression').find((d) => d.attrs.operation === 'lt')?.attrs.end ?? null;
    return [{ id, kind, resource: a.rsc ?? '', node: a.node ?? ruleNode(rule), role: a.role ?? null, score: score(a.score ?? rule?.attrs.score), expires }];
  });
}
