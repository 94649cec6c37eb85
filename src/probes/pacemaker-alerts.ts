// What an operator must notice in a Pacemaker cluster: alerts on one
// snapshot, events between two. Pure, so the HA pane, --once and tests share them.
import type { Severity } from './severity.js';
import type { PacemakerFailure, PacemakerNode, PacemakerSnapshot } from './pacemaker-types.js';

export interface PacemakerNotice {
  severity: Severity;
  message: string;
  /** The node the notice is about. */
  node?: string;
  brief?: string;
}

const isUp = (n: PacemakerNode) => n.online && !n.unclean;
const failureKey = (f: PacemakerFailure) => `${f.opKey}@${f.node}`;

function failureText(f: PacemakerFailure): string {
  const reason = f.exitReason ? ` (${f.exitReason})` : '';
  return `${f.opKey} failed on ${f.node}: ${f.exitStatus || `exit ${f.exitCode ?? '?'}`}${reason}${f.time ? ` at ${f.time}` : ''}${f.ignored ? ' (failure ignored)' : ''}`;
}

/** A failure the cluster ignored (on-fail=ignore) left the resource running: worth a look, not an emergency. */
const failureNotice = (f: PacemakerFailure): PacemakerNotice => ({ severity: f.ignored ? 'warn' : 'crit', message: failureText(f) });

export function pacemakerAlerts(snapshot: PacemakerSnapshot): PacemakerNotice[] {
  const alerts: PacemakerNotice[] = [];
  if (!snapshot.withQuorum) alerts.push({ severity: 'crit', message: 'cluster has no quorum', brief: 'no quorum' });
  for (const n of snapshot.nodes) {
    if (n.unclean) alerts.push({ severity: 'crit', message: `node ${n.name} is UNCLEAN (to be fenced)`, brief: `${n.name} UNCLEAN` });
    else if (!n.online) alerts.push({ severity: 'crit', message: `node ${n.name} is offline`, brief: `${n.name} offline` });
  }
  for (const r of snapshot.resources.filter((x) => x.failed)) {
    alerts.push({ severity: 'crit', message: `resource ${r.id} FAILED${r.nodes.length ? ` on ${r.nodes.join(', ')}` : ''}`, brief: `${r.id} FAILED` });
  }
  alerts.push(...snapshot.failures.map((f) => ({ ...failureNotice(f), brief: `${f.resource} failed` })));
  if (snapshot.maintenanceMode) alerts.push({ severity: 'warn', message: 'cluster is in maintenance mode: Pacemaker manages no resource', brief: 'maintenance mode' });
  return alerts;
}

interface Placement {
  nodes: string;
  failed: boolean;
}

/** Resource id -> where it runs; clone instances share an id, so their nodes are merged. */
function placements(s: PacemakerSnapshot): Map<string, Placement> {
  const nodes = new Map<string, Set<string>>();
  const failed = new Set<string>();
  for (const r of s.resources) {
    const set = nodes.get(r.id) ?? new Set<string>();
    r.nodes.forEach((n) => set.add(n));
    nodes.set(r.id, set);
    if (r.failed) failed.add(r.id);
  }
  return new Map([...nodes].map(([id, set]) => [id, { nodes: [...set].sort().join(', '), failed: failed.has(id) }]));
}

function nodeEvents(previous: PacemakerSnapshot, current: PacemakerSnapshot): PacemakerNotice[] {
  const before = new Map(previous.nodes.map((n) => [n.name, n]));
  const events: PacemakerNotice[] = [];
  for (const n of current.nodes) {
    const old = before.get(n.name);
    if (!old || isUp(old) === isUp(n)) continue;
    if (isUp(n)) events.push({ severity: 'info', message: `node ${n.name} is online again`, node: n.name });
    else events.push({ severity: 'crit', message: `node ${n.name} went ${n.unclean ? 'UNCLEAN' : 'offline'}`, node: n.name });
  }
  return events;
}

function resourceEvents(previous: PacemakerSnapshot, current: PacemakerSnapshot): PacemakerNotice[] {
  const before = placements(previous);
  const events: PacemakerNotice[] = [];
  for (const [id, now] of placements(current)) {
    const old = before.get(id);
    if (!old) continue;
    if (now.failed && !old.failed) events.push({ severity: 'crit', message: `resource ${id} FAILED${now.nodes ? ` on ${now.nodes}` : ''}` });
    if (!now.failed && old.failed) events.push({ severity: 'info', message: `resource ${id} recovered` });
    if (now.nodes === old.nodes) continue;
    if (!now.nodes) events.push({ severity: 'warn', message: `resource ${id} stopped (was on ${old.nodes})` });
    else if (!old.nodes) events.push({ severity: 'info', message: `resource ${id} started on ${now.nodes}` });
    else events.push({ severity: 'warn', message: `resource ${id} moved: ${old.nodes} -> ${now.nodes}` });
  }
  const oldFailures = new Set(previous.failures.map(failureKey));
  const newFailures = new Set(current.failures.map(failureKey));
  events.push(...current.failures.filter((x) => !oldFailures.has(failureKey(x))).map(failureNotice));
  for (const f of previous.failures.filter((x) => !newFailures.has(failureKey(x)))) {
    events.push({ severity: 'info', message: `failed action ${f.opKey} on ${f.node} cleared` });
  }
  return events;
}

export function pacemakerEvents(previous: PacemakerSnapshot | undefined, current: PacemakerSnapshot): PacemakerNotice[] {
  if (!previous) return [];
  const events: PacemakerNotice[] = [];
  if (previous.withQuorum && !current.withQuorum) events.push({ severity: 'crit', message: 'cluster lost quorum' });
  if (!previous.withQuorum && current.withQuorum) events.push({ severity: 'info', message: 'cluster regained quorum' });
  return [...events, ...nodeEvents(previous, current), ...resourceEvents(previous, current)];
}
