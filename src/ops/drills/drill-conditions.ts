// Whether a drill's condition holds now, read from baton's own polled state
// (the store the console draws) and the drill's traffic. Pure.
import type { Inventory } from '../../inventory/types.js';
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import type { BatonState } from '../../store/types.js';
import { etcdLeader, nodesRunning, snapshotsOf } from './drill-placeholders.js';
import type { DrillEvent } from './drill-run.js';
import type { ConditionSpec } from './drill-spec.js';
import type { TrafficRecord } from './traffic-probe.js';

/** What was true just before the fault: "moved" and "new leader" compare with it. */
export interface Baseline {
  /** Resource -> nodes it ran on. */
  running: Record<string, string[]>;
  etcdLeader: string | null;
}

export interface ConditionInput {
  state: BatonState;
  inventory: Inventory;
  baseline: Baseline;
  requests: readonly TrafficRecord[];
  /** Events since the fault. */
  events: readonly DrillEvent[];
  now: number;
  /** Traffic is judged on requests started since then (the fault, or the restore): what came before says nothing of recovery. */
  since: number;
}

export function takeBaseline(state: BatonState, conditions: readonly ConditionSpec[]): Baseline {
  const resources = [...new Set(conditions.flatMap((c) => (c.pacemaker?.resource ? [c.pacemaker.resource] : [])))];
  return { running: Object.fromEntries(resources.map((r) => [r, nodesRunning(state, r)])), etcdLeader: etcdLeader(state)?.name ?? null };
}

/** Success % of the requests started since `since` that ended in the trailing window; null until a whole window has passed or when none ended. */
export function successRate(requests: readonly TrafficRecord[], probe: string, now: number, windowMs: number, since = -Infinity): number | null {
  if (now - since < windowMs) return null;
  const inWindow = requests.filter((r) => r.probe === probe && r.startAt >= since && r.endAt > now - windowMs && r.endAt <= now);
  if (inWindow.length === 0) return null;
  return (inWindow.filter((r) => r.outcome === 'ok').length / inWindow.length) * 100;
}

function serverStates(state: BatonState, ref: string): string[] {
  const [backend, server] = ref.split('/');
  return snapshotsOf<HaproxySnapshot>(state, 'haproxy').flatMap((s) => {
    const found = s.backends.find((b) => b.name === backend)?.servers.find((x) => x.name === server);
    return found ? [found.state] : [];
  });
}

export function conditionHolds(c: ConditionSpec, input: ConditionInput): boolean {
  const { state } = input;
  if (c.pacemaker) {
    const p = c.pacemaker;
    if (p.node !== undefined) {
      const node = snapshotsOf<PacemakerSnapshot>(state, 'pacemaker')
        .flatMap((s) => s.nodes)
        .find((n) => n.name === p.node);
      if (!node) return false;
      return p.state === 'offline' ? !node.online || node.unclean : p.state === 'standby' ? node.standby : node.online && !node.standby;
    }
    const nodes = nodesRunning(state, p.resource!);
    if (p.on !== undefined) return nodes.includes(p.on);
    if (p.moved !== undefined) {
      const before = input.baseline.running[p.resource!] ?? [];
      const moved = nodes.length > 0 && nodes.every((n) => !before.includes(n));
      return moved === p.moved;
    }
    return (nodes.length > 0) === (p.started ?? true);
  }
  if (c.haproxy) {
    const states = serverStates(state, c.haproxy.server);
    const wanted = c.haproxy.state === 'UP' ? ['up', 'no-check'] : [c.haproxy.state.toLowerCase()];
    return states.length > 0 && states.every((s) => wanted.includes(s));
  }
  if (c.etcd) {
    const snapshots = snapshotsOf<EtcdSnapshot>(state, 'etcd');
    const leader = etcdLeader(state)?.name ?? null;
    if (c.etcd.new_leader !== undefined) return (leader !== null && leader !== input.baseline.etcdLeader) === c.etcd.new_leader;
    if (c.etcd.leader !== undefined) return (leader !== null) === c.etcd.leader;
    const healthy = snapshots.length > 0 && snapshots.every((s) => s.members.every((m) => m.up === true && m.healthy !== false));
    return healthy === (c.etcd.healthy ?? true);
  }
  if (c.queue) {
    const name = c.queue.name;
    const raised = Object.values(state.services).some((s) => s.kind === 'queues' && s.alerts.some((a) => a.message.startsWith(`${name}: `)));
    return raised === c.queue.alert;
  }
  if (c.traffic) {
    const rate = successRate(input.requests, c.traffic.probe, input.now, c.traffic.window, input.since);
    if (rate === null) return false;
    return c.traffic.above !== undefined ? rate >= c.traffic.above : rate < c.traffic.below!;
  }
  const e = c.event!;
  return input.events.some((x) => (e.source === undefined || x.source === e.source) && (e.match === undefined || new RegExp(e.match).test(x.message)));
}
