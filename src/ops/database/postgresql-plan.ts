// Pure planners of the PostgreSQL actions. promote is guarded: refused while
// another server of the set is reachable and still primary (promoting then
// makes two primaries) unless the operator names the set with --fenced (the
// old primary can take no writes: fenced, isolated); refused when the
// candidate's replay lag is above the limit unless the set is named with
// --accept-lag. pause-replay / resume-replay act on a standby only.
import { psqlExec } from '../../probes/postgresql-command.js';
import type { Plan, Precondition, Step } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import { describeMember, setOf, type PgFacts, type PgMember } from './postgresql-observe.js';
import type { DatabaseArgs } from './database-args.js';

export type PgOp = 'promote' | 'pause-replay' | 'resume-replay';

export type PgArgs = DatabaseArgs<PgOp>;

export const setLock = (set: string): string => `postgresql:${set}`;

const SQL: Record<PgOp, string> = {
  // wait => true: returns once the server has left recovery (or false after wait_seconds).
  promote: 'SELECT pg_promote(true, 60)',
  'pause-replay': 'SELECT pg_wal_replay_pause()',
  'resume-replay': 'SELECT pg_wal_replay_resume()',
};

function step(m: PgMember, op: PgOp, timeoutMs: number): Step {
  return { id: op, hostId: m.host, label: `psql on ${m.host}: ${SQL[op]}`, spec: { kind: 'command', command: psqlExec(m.role, SQL[op]) }, timeoutMs, retries: 0 };
}

function plan(ctx: PlanContext<PgFacts>, args: PgArgs, m: PgMember, fields: Pick<Plan, 'title' | 'changes' | 'verify'> & Partial<Plan>): Plan {
  return {
    id: ctx.newId(),
    action: `postgresql.${args.op}`,
    args: { ...args, set: m.set },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [m.host],
    locks: [setLock(m.set)],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    steps: [step(m, args.op, args.timeoutMs)],
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    ...fields,
  };
}

function candidate(facts: PgFacts, host: string): PgMember | Refusal {
  const m = facts.members.find((x) => x.host === host);
  if (!m) return { refused: true, reason: `${host} has no postgresql role; servers: ${facts.members.map((x) => x.host).join(', ') || 'none'}` };
  if (!m.snapshot) return { refused: true, reason: `${host} does not answer: ${m.error ?? 'no reading'}` };
  if (m.snapshot.role !== 'standby') return { refused: true, reason: `${host} is not a standby: it is already primary (timeline ${m.snapshot.timeline ?? '?'})` };
  return m;
}

function planPromote(ctx: PlanContext<PgFacts>, args: PgArgs, m: PgMember): Plan | Refusal {
  const others = setOf(ctx.facts, m.set).filter((x) => x.host !== m.host);
  const primaries = others.filter((x) => x.snapshot?.role === 'primary');
  const fenced = args.fenced === m.set;
  if (args.fenced !== undefined && !fenced) return { refused: true, reason: `--fenced must name the set exactly: ${m.set}` };
  if (args.acceptLag !== undefined && args.acceptLag !== m.set) return { refused: true, reason: `--accept-lag must name the set exactly: ${m.set}` };
  if (primaries.length > 0 && !fenced) {
    return {
      refused: true,
      reason: `${primaries.map(describeMember).join('; ')}: it is reachable and still primary, so promoting ${m.host} would make two primaries (split brain)`,
      hint: `stop or fence ${primaries.map((p) => p.host).join(', ')} first; if it is already fenced (it can take no writes), give --fenced ${m.set}`,
    };
  }
  const lag = m.snapshot?.recovery?.replayDelayMs ?? null;
  const tooFar = lag === null || lag > args.maxLagMs;
  if (tooFar && args.acceptLag !== m.set) {
    const what = lag === null ? 'its replay lag is unknown' : `its replay lag is ${(lag / 1000).toFixed(1)} s, over ${(args.maxLagMs / 1000).toFixed(0)} s`;
    return { refused: true, reason: `${m.host}: ${what}; transactions it has not replayed are lost to it`, hint: `give --accept-lag ${m.set} to promote anyway` };
  }
  const preconditions: Precondition[] = [
    { what: `${m.host} replay lag within ${(args.maxLagMs / 1000).toFixed(0)} s`, ok: !tooFar, detail: lag === null ? 'unknown (accepted)' : `${(lag / 1000).toFixed(1)} s${tooFar ? ' (accepted)' : ''}` },
    ...others.map((o) => ({ what: `old server ${o.host} cannot take writes`, ok: o.snapshot?.role !== 'primary', detail: `${describeMember(o)}${o.snapshot?.role === 'primary' ? ' (declared fenced)' : ''}` })),
  ];
  return plan(ctx, args, m, {
    title: `postgresql promote ${m.host} (set ${m.set})`,
    changes: [
      { target: m.host, what: 'role', before: describeMember(m).replace(`${m.host} is `, ''), after: 'primary on a new timeline' },
      ...others.map((o) => ({ target: o.host, what: 'role', before: describeMember(o).replace(`${o.host} `, ''), after: 'unchanged (rejoin it as a standby by hand: pg_rewind or a new base backup)' })),
    ],
    preconditions,
    risk: { clusters: [m.set], reasons: [`${m.host} becomes the primary of ${m.set}: clients must follow it, and no other server may take writes`] },
    verify: `re-read every server of ${m.set}: ${m.host} answers as primary, no other answers as primary`,
  });
}

export function planPostgresql(ctx: PlanContext<PgFacts>, args: PgArgs): Plan | Refusal {
  const m = candidate(ctx.facts, args.host);
  if ('refused' in m) return m;
  if (args.op === 'promote') return planPromote(ctx, args, m);
  const paused = m.snapshot?.recovery?.paused === true;
  if (args.op === 'pause-replay' && paused) return { refused: true, reason: `replay on ${m.host} is already paused` };
  if (args.op === 'resume-replay' && !paused) return { refused: true, reason: `replay on ${m.host} is not paused` };
  return plan(ctx, args, m, {
    title: `postgresql ${args.op} on ${m.host}`,
    changes: [{ target: m.host, what: 'WAL replay', before: paused ? 'paused' : 'running', after: paused ? 'running' : 'paused (its lag grows while the primary writes)' }],
    verify: `re-read ${m.host}: replay ${args.op === 'pause-replay' ? 'paused' : 'running'}`,
  });
}
