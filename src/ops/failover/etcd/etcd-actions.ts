// `etcd.move-leader MEMBER`, `etcd.defrag MEMBER`, `etcd.alarm-disarm`.
import { UsageError, type ActionDefinition } from '../../engine/registry.js';
import { positiveNumberOption } from '../../target-args.js';
import { observeEtcd, type EtcdFacts } from './etcd-observe.js';
import { planEtcd, type EtcdArgs, type EtcdOp } from './etcd-plan.js';
import { verifyEtcd } from './etcd-verify.js';

const TIMEOUT_SECONDS: Record<EtcdOp, number> = { 'move-leader': 15, defrag: 120, 'alarm-disarm': 15 };

function parser(op: EtcdOp) {
  return (argv: string[], options: Record<string, unknown>): EtcdArgs => {
    const wantsMember = op !== 'alarm-disarm';
    if (argv.length !== (wantsMember ? 1 : 0)) throw new UsageError(wantsMember ? `etcd.${op} needs MEMBER (its name or hex id)` : 'etcd.alarm-disarm takes no argument');
    return { op, ...(wantsMember ? { member: argv[0] } : {}), timeoutMs: positiveNumberOption(options.timeout, TIMEOUT_SECONDS[op], 'timeout') * 1000 };
  };
}

function etcdAction(op: EtcdOp, summary: string, usage: string): ActionDefinition<EtcdArgs, EtcdFacts> {
  return { name: `etcd.${op}`, summary, usage, scope: op === 'alarm-disarm' ? 'etcd.cluster' : 'etcd.member', parseArgs: parser(op), observe: observeEtcd, plan: planEtcd, verify: verifyEtcd };
}

export const etcdActions = [
  etcdAction('move-leader', 'hand the etcd leadership to MEMBER (asked of the current leader)', 'MEMBER'),
  etcdAction('defrag', 'defragment one etcd member\'s database (typed confirmation on the leader)', 'MEMBER'),
  etcdAction('alarm-disarm', 'clear the etcd cluster\'s alarms (NOSPACE, CORRUPT) once their cause is fixed', ''),
];
