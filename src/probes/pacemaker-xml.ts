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
import { child, childrenNamed as children, decodeXmlReferences, descendants, parseXml, XmlProblem, type XmlElement } from './xml-tree.js';

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
          orphaned: isTrue(a.orphaned),
          failureIgnored: isTrue(a.failure_ignored),
          targetRole: a.target_role ?? null,
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
  return { resources: withInstanceFailCounts(resources), collections };
}

/**
 * node_history counts failures per resource id and node, and the instances
 * of a clone share an id: each count goes to the instance on its node, or,
 * on a node none of them runs on, to the first stopped instance (the first
 * instance when none is stopped), so that it shows once.
 */
function withInstanceFailCounts(resources: PacemakerResource[]): PacemakerResource[] {
  const sets = new Map<string, PacemakerResource[]>();
  for (const r of resources.filter((x) => x.clone !== null)) {
    const key = `${r.clone}\0${r.id}`;
    sets.set(key, [...(sets.get(key) ?? []), r]);
  }
  const counts = new Map<PacemakerResource, PacemakerFailCount[]>();
  for (const instances of sets.values()) {
    const running = new Set(instances.flatMap((r) => r.nodes));
    const holder = instances.find((r) => r.nodes.length === 0) ?? instances[0]!;
    for (const r of instances) {
      counts.set(r, r.failCounts.filter((f) => r.nodes.includes(f.node) || (r === holder && !running.has(f.node))));
    }
  }
  return resources.map((r) => (counts.has(r) ? { ...r, failCounts: counts.get(r)! } : r));
}

function readBan(el: XmlElement): PacemakerBan {
  const a = el.attrs;
  return { id: a.id ?? '', resource: a.resource ?? '', node: a.node ?? '', weight: score(a.weight), promotedOnly: isTrue(a['promoted-only'] ?? a.master_only) };
}

const apiAtLeast = (version: string | undefined, major: number, minor: number) => {
  const [m = 0, n = 0] = (version ?? '').split('.').map(Number);
  return m > major || (m === major && n >= minor);
};

/**
 * crm_mon escapes an exit reason once more before libxml2 escapes it
 * (failed_action_xml, lib/pengine/pe_output.c). From Pacemaker 2.1.3 to 2.1.7
 * (API 2.20 to 2.36) that escaping stops at the first non-ASCII character
 * (crm_xml_escape breaks out of its loop there; fixed in 2.1.8), so only the
 * part before it is decoded again: what follows is the agent's text as is.
 */
function exitReason(text: string, apiVersion: string | undefined): string {
  const stopsAtNonAscii = apiAtLeast(apiVersion, 2, 20) && !apiAtLeast(apiVersion, 2, 37);
  const end = stopsAtNonAscii ? text.search(/[^\p{ASCII}]/u) : -1;
  return end < 0 ? decodeXmlReferences(text) : decodeXmlReferences(text.slice(0, end)) + text.slice(end);
}

function readFailure(el: XmlElement, apiVersion: string | undefined): PacemakerFailure {
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
    exitReason: exitReason(a.exitreason ?? '', apiVersion),
    exitCode: score(a.exitcode),
    status: a.status ?? '',
    time: a['last-rc-change'] || null,
    ignored: false,
  };
}

/** A failure is ignored when its resource, on that node, is marked "failure ignored". */
const withIgnored = (failures: PacemakerFailure[], resources: PacemakerResource[]): PacemakerFailure[] =>
  failures.map((f) => ({
    ...f,
    ignored: resources.some((r) => r.id === f.resource && r.failureIgnored && (r.nodes.length === 0 || r.nodes.includes(f.node))),
  }));

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
  const { resources, collections } = readResources(child(root, 'resources'), readHistory(root));
  const failures = children(child(root, 'failures'), 'failure').map((f) => readFailure(f, root.attrs['api-version']));
  return {
    stack: child(summary, 'stack')?.attrs.type ?? null,
    dc: { present: isTrue(dc.present), name: isTrue(dc.present) ? (dc.name ?? null) : null, version: dc.version ?? null },
    withQuorum: isTrue(dc.with_quorum),
    maintenanceMode: isTrue(options['maintenance-mode']),
    stonithEnabled: isTrue(options['stonith-enabled']),
    lastUpdate: child(summary, 'last_update')?.attrs.time || null,
    nodes: children(child(root, 'nodes'), 'node').map(readNode),
    resources,
    collections,
    bans: children(child(root, 'bans'), 'ban').map(readBan),
    failures: withIgnored(failures, resources),
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
    return [{ id, rule: rule?.attrs.id ?? null, kind, resource: a.rsc ?? '', node: a.node ?? ruleNode(rule), role: a.role ?? null, score: score(a.score ?? rule?.attrs.score), expires }];
  });
}
