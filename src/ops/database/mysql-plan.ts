// Pure planners of the MySQL/MariaDB actions. promote runs STOP REPLICA;
// RESET REPLICA ALL; SET GLOBAL read_only=OFF in that order on the replica,
// guarded as PostgreSQL's is: refused while another server of the set is a
// writable source unless --fenced names the set, refused when the replica
// is behind more than --max-lag (or its lag is unknown: a thread stopped)
// unless --accept-lag names the set. stop-replica / start-replica for maintenance.
import { mysqlExec } from '../../probes/mysql-command.js';
import type { Plan, Precondition } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import { describeMysql, isWritableSource, type MyFacts, type MyMember } from './mysql-observe.js';
import type { DatabaseArgs } from './database-args.js';

export type MyOp = 'promote' | 'stop-replica' | 'start-replica';

export type MyArgs = DatabaseArgs<MyOp>;

export const PROMOTE_SQL = 'STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only = OFF';
const SQL: Record<MyOp, string> = { promote: PROMOTE_SQL, 'stop-replica': 'STOP REPLICA', 'start-replica': 'START REPLICA' };

function plan(ctx: PlanContext<MyFacts>, args: MyArgs, m: MyMember, fields: Pick<Plan, 'title' | 'changes' | 'verify'> & Partial<Plan>): Plan {
  return {
    id: ctx.newId(),
    action: `mysql.${args.op}`,
    args: { ...args, set: m.set },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [m.host],
    locks: [`mysql:${m.set}`],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    steps: [{ id: args.op, hostId: m.host, label: `mysql on ${m.host}: ${SQL[args.op]}`, spec: { kind: 'command', command: mysqlExec(m.role, SQL[args.op]) }, timeoutMs: args.timeoutMs, retries: 0 }],
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    ...fields,
  };
}

function replica(facts: MyFacts, host: string): MyMember | Refusal {
  const m = facts.members.find((x) => x.host === host);
  if (!m) return { refused: true, reason: `${host} has no mysql role; servers: ${facts.members.map((x) => x.host).join(', ') || 'none'}` };
  if (!m.snapshot) return { refused: true, reason: `${host} does not answer: ${m.error ?? 'no reading'}` };
  if (m.snapshot.channels.length === 0) return { refused: true, reason: `${host} is not a replica: no replication is configured on it` };
  if (m.snapshot.channels.length > 1) return { refused: true, reason: `${host} replicates from ${m.snapshot.channels.length} sources (multi-source): act on its channels by hand` };
  return m;
}

function planPromote(ctx: PlanContext<MyFacts>, args: MyArgs, m: MyMember): Plan | Refusal {
  const others = ctx.facts.members.filter((x) => x.set === m.set && x.host !== m.host);
  const sources = others.filter(isWritableSource);
  const fenced = args.fenced === m.set;
  if (args.fenced !== undefined && !fenced) return { refused: true, reason: `--fenced must name the set exactly: ${m.set}` };
  if (args.acceptLag !== undefined && args.acceptLag !== m.set) return { refused: true, reason: `--accept-lag must name the set exactly: ${m.set}` };
  if (sources.length > 0 && !fenced) {
    return {
      refused: true,
      reason: `${sources.map(describeMysql).join('; ')}: it answers and takes writes, so promoting ${m.host} would make two writable sources (split brain)`,
      hint: `stop or fence ${sources.map((x) => x.host).join(', ')} first (or SET GLOBAL read_only=ON there); if it is already fenced, give --fenced ${m.set}`,
    };
  }
  const c = m.snapshot!.channels[0]!;
  const lag = c.secondsBehind === null ? null : c.secondsBehind * 1000;
  const tooFar = lag === null || lag > args.maxLagMs;
  if (tooFar && args.acceptLag !== m.set) {
    const what = lag === null ? `its lag is unknown (IO ${c.ioRunning}, SQL ${c.sqlRunning})` : `it is ${c.secondsBehind} s behind, over ${(args.maxLagMs / 1000).toFixed(0)} s`;
    return { refused: true, reason: `${m.host}: ${what}; transactions it has not applied are lost to it`, hint: `give --accept-lag ${m.set} to promote anyway` };
  }
  const preconditions: Precondition[] = [
    { what: `${m.host} within ${(args.maxLagMs / 1000).toFixed(0)} s of its source`, ok: !tooFar, detail: lag === null ? 'unknown (accepted)' : `${c.secondsBehind} s${tooFar ? ' (accepted)' : ''}` },
    ...others.map((o) => ({ what: `old server ${o.host} takes no writes`, ok: !isWritableSource(o), detail: `${describeMysql(o)}${isWritableSource(o) ? ' (declared fenced)' : ''}` })),
  ];
  return plan(ctx, args, m, {
    title: `mysql promote ${m.host} (set ${m.set})`,
    changes: [{ target: m.host, what: 'role', before: describeMysql(m).replace(`${m.host} is `, ''), after: 'a writable source with no replication configured' }],
    preconditions,
    risk: { clusters: [m.set], reasons: [`${m.host} becomes the source of ${m.set}: clients must follow it, and no other server may take writes`] },
    verify: `re-read ${m.host}: no replication configured, read_only OFF`,
  });
}

export function planMysql(ctx: PlanContext<MyFacts>, args: MyArgs): Plan | Refusal {
  const m = replica(ctx.facts, args.host);
  if ('refused' in m) return m;
  if (args.op === 'promote') return planPromote(ctx, args, m);
  const c = m.snapshot!.channels[0]!;
  const running = c.ioRunning !== 'No' || c.sqlRunning !== 'No';
  if (args.op === 'stop-replica' && !running) return { refused: true, reason: `replication on ${m.host} is already stopped` };
  if (args.op === 'start-replica' && c.ioRunning === 'Yes' && c.sqlRunning === 'Yes') return { refused: true, reason: `replication on ${m.host} already runs` };
  return plan(ctx, args, m, {
    title: `mysql ${args.op} on ${m.host}`,
    changes: [{ target: m.host, what: 'replica threads', before: `IO ${c.ioRunning}, SQL ${c.sqlRunning}`, after: args.op === 'stop-replica' ? 'IO No, SQL No (its lag grows while the source writes)' : 'IO Yes, SQL Yes' }],
    verify: `re-read ${m.host}: both threads ${args.op === 'stop-replica' ? 'stopped' : 'running'}`,
  });
}
