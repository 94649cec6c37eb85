// A canary's traffic steps, planned at the first batch's lb-ready stage:
// the new servers back in rotation, then for each step the backend's
// weights set so the new servers take that share of the requests (the old
// ones at 100 each, the new ones what makes the share), an analysis over the
// pause, and at the end every weight back to what it was. A step of 100 is
// the promotion: the weights go back and the other hosts roll. Pure.
import type { HaproxyRole } from '../../inventory/types.js';
import type { StepSpec } from '../engine/plan.js';
import { analysisCommand, lbStateCommand, readyCommand, weightsCommand } from './deploy-commands.js';
import type { AnalysisSpec } from './deploy-spec.js';

/** Per LB: its backends' servers and their weights now, for the backends that hold a target. */
export type LbBackends = Record<string, Record<string, Array<{ server: string; weight: number }>>>;

export interface CanaryStep {
  /** Which step: 'ready', 'weight-N', 'analysis-N', 'weights-back'. */
  kind: string;
  label: string;
  spec: StepSpec;
  timeoutMs: number;
}

const OLD_WEIGHT = 100;
const MAX_WEIGHT = 256;

/** The new servers' weight that gives them `percent` of the requests beside `oldCount` servers at 100. */
export function canaryWeight(percent: number, oldCount: number, newCount: number): number {
  if (oldCount === 0) return OLD_WEIGHT;
  return Math.min(MAX_WEIGHT, Math.max(1, Math.round((percent * OLD_WEIGHT * oldCount) / ((100 - percent) * newCount))));
}

export function canarySteps(role: HaproxyRole, lb: string, backend: string, servers: ReadonlyArray<{ server: string; weight: number }>, canary: readonly string[], host: string, steps: readonly number[], pauseMs: number, analysis: AnalysisSpec, deadlineMs: number): CanaryStep[] {
  const cmd = (command: string): StepSpec => ({ kind: 'command', command });
  const old = servers.filter((s) => !canary.includes(s.server));
  const mine = servers.filter((s) => canary.includes(s.server));
  const out: CanaryStep[] = [{ kind: 'ready', label: `ready ${backend}/${host} on ${lb}`, spec: cmd(readyCommand(role, backend, host, deadlineMs)), timeoutMs: deadlineMs + 10_000 }];
  // Only the first canary host sets the backend's weights: one change for all the new servers.
  if (host !== canary[0]) return out;
  steps.filter((p) => p < 100).forEach((p, i) => {
    const w = canaryWeight(p, old.length, mine.length);
    const weights: Array<[string, number]> = [...old.map((s): [string, number] => [s.server, OLD_WEIGHT]), ...mine.map((s): [string, number] => [s.server, w])];
    out.push({ kind: `weight-${i + 1}`, label: `${p} % to ${canary.join(',')} on ${lb}: weight ${w} vs ${OLD_WEIGHT}`, spec: cmd(weightsCommand(role, backend, weights)), timeoutMs: 15_000 });
    for (const s of mine) out.push({ kind: `analysis-${i + 1}${mine.length > 1 ? `-${s.server}` : ''}`, label: `analysis of ${backend}/${s.server} on ${lb} over ${pauseMs / 1000} s at ${p} %`, spec: cmd(analysisCommand(role, backend, s.server, pauseMs, analysis)), timeoutMs: pauseMs + 15_000 });
  });
  out.push({ kind: 'weights-back', label: `weights back on ${lb} ${backend}`, spec: cmd(weightsCommand(role, backend, servers.map((s) => [s.server, s.weight]))), timeoutMs: 15_000 });
  return out;
}

/** The rollback of a canary host: out of rotation at once (no wait: its answers are bad), then every weight back. */
export function canaryUndoCommand(role: HaproxyRole, backend: string, servers: ReadonlyArray<{ server: string; weight: number }>, host: string): string {
  return `${lbStateCommand(role, backend, host, 'drain')} || exit $?\n${weightsCommand(role, backend, servers.map((s) => [s.server, s.weight]))}`;
}
