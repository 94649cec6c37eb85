// Verify re-reads the cluster with the probe: the leader is the member asked
// for; the defragmented member answers (its db size before -> after); no
// alarm is left. Leadership changes in a round of heartbeats: polled to a deadline.
import type { EtcdSnapshot } from '../../../probes/etcd.js';
import type { Outcome, Plan } from '../../engine/plan.js';
import type { LiveContext, VerifyResult } from '../../engine/registry.js';
import { sleep } from '../host-command.js';
import { memberLabel, observeEtcd } from './etcd-observe.js';
import type { EtcdArgs } from './etcd-plan.js';

const DEADLINE_MS = 10_000;
const POLL_MS = 300;

type VerifyArgs = EtcdArgs & { memberId?: string; dbSizeBefore?: number | null };

function judge(snapshot: EtcdSnapshot, args: VerifyArgs): { outcome: Outcome; detail: string } {
  const member = snapshot.members.find((m) => m.id === args.memberId);
  const leader = snapshot.members.find((m) => m.leader);
  if (args.op === 'alarm-disarm') {
    if (snapshot.alarms === null) return { outcome: 'unknown', detail: 'alarm list failed' };
    return snapshot.alarms.length === 0 ? { outcome: 'ok', detail: 'alarm list: none' } : { outcome: 'failed', detail: `alarm list: ${snapshot.alarms.map((a) => a.alarm).join(', ')}` };
  }
  if (!member) return { outcome: 'failed', detail: 'the member is no longer listed' };
  if (args.op === 'move-leader') {
    const now = leader ? memberLabel(leader) : 'none (election under way)';
    return member.leader ? { outcome: 'ok', detail: `${memberLabel(member)} leads (term ${snapshot.raftTerm ?? '?'})` } : { outcome: 'failed', detail: `leader: ${now}` };
  }
  if (member.up !== true) return { outcome: 'failed', detail: `${memberLabel(member)} does not answer endpoint status` };
  const mib = (b: number | null | undefined) => (b === null || b === undefined ? '?' : `${(b / 1048576).toFixed(1)} MiB`);
  return { outcome: 'ok', detail: `${memberLabel(member)} answers; db size ${mib(args.dbSizeBefore)} -> ${mib(member.dbSizeBytes)}` };
}

export async function verifyEtcd(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as VerifyArgs;
  const started = Date.now();
  let last = { outcome: 'unknown' as Outcome, detail: 'not read' };
  while (Date.now() - started < DEADLINE_MS) {
    const facts = await observeEtcd(ctx);
    last = 'error' in facts ? { outcome: 'unknown', detail: facts.error } : judge(facts.snapshot, args);
    if (last.outcome === 'ok') break;
    await sleep(POLL_MS);
  }
  return { outcome: last.outcome, detail: `${last.detail} (after ${((Date.now() - started) / 1000).toFixed(1)} s)` };
}
