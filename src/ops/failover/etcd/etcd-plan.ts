// Pure planners of the etcd actions. move-leader is asked of the current
// leader (etcd forwards it nowhere) and refused on a member that is down,
// unhealthy or a learner, or already leads; defrag is one member at a time,
// and on the leader it needs a typed confirmation (it blocks the member
// while it runs: a leader that stalls may cost an election); alarm disarm
// clears the cluster's alarms.
import type { EtcdMember } from '../../../probes/etcd.js';
import type { Plan, Step } from '../../engine/plan.js';
import type { PlanContext, Refusal } from '../../engine/registry.js';
import { etcdctlCommand } from './etcd-ctl.js';
import { findMember, hexId, hostFor, memberLabel, type EtcdFacts } from './etcd-observe.js';

export type EtcdOp = 'move-leader' | 'defrag' | 'alarm-disarm';

export interface EtcdArgs {
  op: EtcdOp;
  member?: string;
  timeoutMs: number;
}

export const CLUSTER_LOCK = 'etcd:etcd:cluster';
export const memberLock = (name: string): string => `etcd:etcd:member:${name}`;

type Ready = Extract<EtcdFacts, { snapshot: unknown }>;

function notFound(facts: Ready, text: string): Refusal {
  const names = facts.snapshot.members.map((m) => `${memberLabel(m)}${m.id ? ` (${hexId(m.id)})` : ''}`);
  return { refused: true, reason: `no etcd member ${JSON.stringify(text)}; members: ${names.join(', ')}` };
}

/** Why the member cannot take the lead, or undefined. */
function cannotLead(m: EtcdMember): string | undefined {
  if (m.learner) return `${memberLabel(m)} is a learner: it has no vote and cannot lead until it is promoted`;
  if (m.up !== true) return `${memberLabel(m)} is down: ${m.errors[0] ?? 'it does not answer endpoint status'}`;
  if (m.healthy === false) return `${memberLabel(m)} is unhealthy: ${m.errors[0] ?? 'endpoint health failed'}`;
  if (m.leader) return `${memberLabel(m)} already leads`;
  return undefined;
}

function base(ctx: PlanContext<EtcdFacts>, args: EtcdArgs, fields: Pick<Plan, 'title' | 'locks' | 'changes' | 'steps' | 'verify'> & Partial<Plan>): Plan {
  return {
    id: ctx.newId(),
    action: `etcd.${args.op}`,
    args: { ...args },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [...new Set(fields.steps.map((s) => s.hostId))],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    ...fields,
  };
}

function step(id: string, hostId: string, label: string, command: string, timeoutMs: number): Step {
  return { id, hostId, label, spec: { kind: 'command', command }, timeoutMs, retries: 0 };
}

export function planEtcd(ctx: PlanContext<EtcdFacts>, args: EtcdArgs): Plan | Refusal {
  if ('error' in ctx.facts) return { refused: true, reason: ctx.facts.error };
  const facts = ctx.facts;
  const { snapshot, answeredBy } = facts;
  const leader = snapshot.members.find((m) => m.leader);
  if (args.op === 'alarm-disarm') {
    if (snapshot.alarms === null) return { refused: true, reason: `etcd alarm list failed, so the alarms are unknown: ${snapshot.problems.join('; ') || 'no leader?'}` };
    if (snapshot.alarms.length === 0) return { refused: true, reason: 'no etcd alarm is raised' };
    const at = hostFor(ctx.inventory, leader ?? snapshot.members.find((m) => m.up)!, answeredBy);
    const owner = (id: string) => snapshot.members.find((m) => m.id === id);
    const raised = snapshot.alarms.map((a) => `${a.alarm} on ${owner(a.memberId) ? memberLabel(owner(a.memberId)!) : hexId(a.memberId)}`);
    return base(ctx, args, {
      title: `etcd alarm disarm (${raised.join(', ')})`,
      locks: [CLUSTER_LOCK],
      changes: [{ target: 'etcd', what: 'alarms', before: raised.join(', '), after: 'none' }],
      steps: [step('alarm-disarm', at.hostId, 'etcdctl alarm disarm', etcdctlCommand(at.role, at.endpoint, ['alarm', 'disarm'], args.timeoutMs), args.timeoutMs)],
      verify: 'etcdctl alarm list (the probe) lists no alarm',
      preconditions: [{ what: 'the cause is fixed (space freed: compact and defrag first for NOSPACE)', ok: true, detail: 'an alarm whose cause remains is raised again' }],
    });
  }
  const member = findMember(snapshot, args.member ?? '');
  if (!member) return notFound(facts, args.member ?? '');
  const name = memberLabel(member);
  if (args.op === 'move-leader') {
    if (!leader) return { refused: true, reason: 'the cluster has no leader now: move-leader must be asked of one', hint: 'wait for the election (the etcd pane shows it)' };
    const why = cannotLead(member);
    if (why) return { refused: true, reason: why };
    const at = hostFor(ctx.inventory, leader, answeredBy);
    const label = `etcdctl move-leader ${hexId(member.id!)} (asked of the leader ${memberLabel(leader)} at ${at.endpoint})`;
    return base(ctx, args, {
      title: `etcd move-leader ${memberLabel(leader)} -> ${name}`,
      locks: [CLUSTER_LOCK, memberLock(name)],
      changes: [{ target: 'etcd', what: 'leader', before: memberLabel(leader), after: name }],
      steps: [step('move-leader', at.hostId, label, etcdctlCommand(at.role, at.endpoint, ['move-leader', hexId(member.id!)], args.timeoutMs), args.timeoutMs)],
      args: { ...args, memberId: member.id, previousLeader: leader.id },
      verify: `endpoint status (the probe): ${name} leads`,
    });
  }
  if (member.up !== true) return { refused: true, reason: `${name} is down: ${member.errors[0] ?? 'it does not answer endpoint status'}` };
  const at = hostFor(ctx.inventory, member, answeredBy);
  const reasons = member.leader ? [`${name} is the leader: defrag blocks it while it rewrites its database, which may cost an election (etcd.move-leader first avoids that)`] : [];
  const size = (b: number | null) => (b === null ? '?' : `${(b / 1048576).toFixed(1)} MiB`);
  return base(ctx, args, {
    title: `etcd defrag ${name}`,
    locks: [CLUSTER_LOCK, memberLock(name)],
    changes: [{ target: name, what: 'db size', before: `${size(member.dbSizeBytes)} (${size(member.dbSizeInUseBytes)} in use)`, after: `about ${size(member.dbSizeInUseBytes)}` }],
    steps: [step('defrag', at.hostId, `etcdctl defrag (${name} at ${at.endpoint})`, etcdctlCommand(at.role, at.endpoint, ['defrag'], args.timeoutMs), args.timeoutMs + 5000)],
    args: { ...args, memberId: member.id, dbSizeBefore: member.dbSizeBytes },
    risk: { clusters: [], reasons },
    verify: `endpoint status (the probe): ${name} answers again, its db size before -> after`,
  });
}
