// Pacemaker's scheduler on the whole set of rebalance moves: every move's
// command applied to one copy of the live CIB, then one `crm_simulate
// --simulate --show-scores`. The set stands only if every moved resource
// lands where asked and nothing that runs now would stop; otherwise the
// scheduler's own reason: the negative allocation scores on the asked node
// (`web-vip allocation score on node3: -INFINITY`), or the tool's error. Pure.
import type { PacemakerSnapshot } from '../../probes/pacemaker.js';
import { splitCommandSections } from '../../probes/probe-output.js';
import { child, childrenNamed, parseXml } from '../../probes/xml-tree.js';
import { membersOf } from '../failover/pacemaker/resolve-change.js';
import { parsePredictionOutput, type Prediction } from '../failover/pacemaker/scheduler-prediction.js';
import { stoppedEverywhere } from '../failover/pacemaker/pacemaker-plan.js';
import type { PacemakerMove } from './pacemaker-moves.js';

export interface Allocation {
  /** The scheduler function that scored it, e.g. pcmk__primitive_assign. */
  fn: string;
  id: string;
  node: string;
  score: string;
}

/** crm_simulate --show-scores --output-as=xml's <allocations>; [] when there are none or the XML is bad. */
export function parseAllocations(xml: string): Allocation[] {
  try {
    return childrenNamed(child(parseXml(xml, 'crm_simulate'), 'allocations'), 'node_weight').map(({ attrs: a }) => ({ fn: a.function ?? '', id: a.id ?? '', node: a.node ?? '', score: a.score ?? '' }));
  } catch {
    return [];
  }
}

export type SetVerdict = { ok: true; prediction: Prediction } | { ok: false; reason: string };

const negative = (score: string) => score.startsWith('-');

/** Why the scheduler will not put `resource` on `node`: its members' last negative scores there. */
function scoreReason(allocations: readonly Allocation[], ids: ReadonlySet<string>, node: string): string {
  const last = new Map<string, Allocation>();
  for (const a of allocations) if (ids.has(a.id) && a.node === node) last.set(a.id, a);
  const against = [...last.values()].filter((a) => negative(a.score));
  return against.length > 0 ? `: ${against.map((a) => `${a.id} allocation score on ${node}: ${a.score} (${a.fn})`).join('; ')}` : '';
}

/** The scheduler's verdict on the whole set, from the prediction script's output (run with scores). */
export function judgeMoveSet(s: PacemakerSnapshot, moves: readonly PacemakerMove[], output: string): SetVerdict {
  const { change } = parsePredictionOutput(output, false);
  if (!change.ok) return { ok: false, reason: `the scheduler could not take the moves: ${change.error}` };
  const p = change.prediction;
  const allocations = parseAllocations(splitCommandSections(output, ['change']).get('change')?.stdout ?? '');
  const reasons: string[] = [];
  for (const m of moves) {
    const ids = new Set([m.resource, ...membersOf(s, m.resource).map((r) => r.id)]);
    const lands = [...ids].filter((id) => id in p.after || id in p.before).map((id) => p.after[id] ?? []);
    if (lands.length > 0 && lands.every((nodes) => nodes.length === 1 && nodes[0] === m.after)) continue;
    const where = [...new Set(lands.flat())].sort().join(', ') || 'no node';
    reasons.push(`${m.resource} would run on ${where}, not ${m.after}${scoreReason(allocations, ids, m.after)}`);
  }
  const stopped = stoppedEverywhere(p);
  if (stopped.length > 0) reasons.push(`${stopped.join(', ')} would stop and run nowhere`);
  return reasons.length > 0 ? { ok: false, reason: `Pacemaker's scheduler rejects the moves (crm_simulate on the live CIB with them applied): ${reasons.join('; ')}` } : { ok: true, prediction: p };
}
