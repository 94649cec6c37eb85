// The stages' `needs` as a DAG: a topological order (stable: file order among
// stages that are free at once), or the problem with where it is; and the
// levels a batch runs one after the other, the stages of a level at once.
import type { StageSpec } from './deploy-spec.js';

export type StageOrderProblem =
  | { kind: 'unknown'; stage: number; need: number; name: string }
  | { kind: 'duplicate'; stage: number; name: string }
  | { kind: 'cycle'; stage: number; cycle: string[] };

/** Stage indexes in an order where every stage comes after what it needs. */
export function stageOrder(stages: readonly Pick<StageSpec, 'name' | 'needs'>[]): { order: number[]; problems: StageOrderProblem[] } {
  const problems: StageOrderProblem[] = [];
  const index = new Map<string, number>();
  stages.forEach((s, i) => {
    if (index.has(s.name)) problems.push({ kind: 'duplicate', stage: i, name: s.name });
    else index.set(s.name, i);
  });
  stages.forEach((s, i) => s.needs.forEach((n, j) => !index.has(n) && problems.push({ kind: 'unknown', stage: i, need: j, name: n })));
  if (problems.length) return { order: [], problems };

  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number, path: number[]): boolean => {
    if (state.get(i) === 'done') return true;
    if (state.get(i) === 'visiting') {
      const cycle = path.slice(path.indexOf(i)).concat(i).map((k) => stages[k]!.name);
      problems.push({ kind: 'cycle', stage: i, cycle });
      return false;
    }
    state.set(i, 'visiting');
    for (const n of stages[i]!.needs) if (!visit(index.get(n)!, [...path, i])) return false;
    state.set(i, 'done');
    order.push(i);
    return true;
  };
  for (let i = 0; i < stages.length; i++) if (!visit(i, [])) break;
  return { order: problems.length ? [] : order, problems };
}

/**
 * The stages (in DAG order) as levels: a stage is in the level after the
 * last of its needs, so every level's needs are all done before it starts
 * and the stages of one level, independent of each other, run at once.
 */
export function stageLevels(stages: readonly Pick<StageSpec, 'name' | 'needs'>[]): string[][] {
  const levelOf = new Map<string, number>();
  const levels: string[][] = [];
  for (const s of stages) {
    const level = Math.max(-1, ...s.needs.map((n) => levelOf.get(n) ?? -1)) + 1;
    levelOf.set(s.name, level);
    (levels[level] ??= []).push(s.name);
  }
  return levels;
}
