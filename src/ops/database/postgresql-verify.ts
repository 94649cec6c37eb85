// Verify re-reads the set with the probe: the promoted server answers as
// primary (and whether another still does), or replay is paused / running.
// Promotion takes a checkpoint's time: polled to a deadline.
import type { Outcome, Plan } from '../engine/plan.js';
import type { LiveContext, VerifyResult } from '../engine/registry.js';
import { sleep } from '../failover/host-command.js';
import { describeMember, observePostgresql, setOf, type PgFacts } from './postgresql-observe.js';
import type { PgArgs } from './postgresql-plan.js';

const DEADLINE_MS = 15_000;
const POLL_MS = 300;

type VerifyArgs = PgArgs & { set: string };

export function judgePostgresql(facts: PgFacts, args: VerifyArgs): { outcome: Outcome; detail: string } {
  const m = facts.members.find((x) => x.host === args.host);
  if (!m?.snapshot) return { outcome: 'unknown', detail: `${args.host} does not answer: ${m?.error ?? 'not read'}` };
  if (args.op === 'promote') {
    if (m.snapshot.role !== 'primary') return { outcome: 'failed', detail: describeMember(m) };
    const others = setOf(facts, args.set).filter((x) => x.host !== m.host && x.snapshot?.role === 'primary');
    const also = others.length ? `; ${others.map((o) => o.host).join(', ')} still answers as primary: keep it fenced` : '';
    return { outcome: 'ok', detail: `${describeMember(m)}${also}` };
  }
  const paused = m.snapshot.recovery?.paused === true;
  const wanted = args.op === 'pause-replay';
  return paused === wanted ? { outcome: 'ok', detail: describeMember(m) } : { outcome: 'failed', detail: describeMember(m) };
}

export async function verifyPostgresql(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as VerifyArgs;
  const started = Date.now();
  let last: { outcome: Outcome; detail: string } = { outcome: 'unknown', detail: 'not read' };
  while (Date.now() - started < DEADLINE_MS) {
    last = judgePostgresql(await observePostgresql(ctx), args);
    if (last.outcome === 'ok') break;
    await sleep(POLL_MS);
  }
  return { outcome: last.outcome, detail: `${last.detail} (after ${((Date.now() - started) / 1000).toFixed(1)} s)` };
}
