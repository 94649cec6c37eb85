// The stages' `needs` as a DAG: a topological order (stable: file order among
// stages that are free at once), or the problem with where it is.
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
