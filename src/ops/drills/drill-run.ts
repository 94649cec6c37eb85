// What one drill run recorded: the raw material of its figures and report,
// saved as is in the report's JSON so a report can be recomputed.
import type { Severity } from '../../probes/severity.js';
import type { BudgetSpec } from './drill-spec.js';
import type { TrafficRecord } from './traffic-probe.js';

export interface DrillEvent {
  /** When the event reached baton's store (epoch ms). */
  at: number;
  source: string;
  severity: Severity;
  message: string;
  hostId?: string;
}

export interface ConditionRecord {
  name: string;
  after: 'inject' | 'restore';
  withinMs: number;
  /** Epoch ms when it first held; null when it did not within its deadline. */
  metAt: number | null;
}

export interface StepRecord {
  label: string;
  outcome: 'ok' | 'failed' | 'unknown';
  detail: string;
  startAt: number;
  endAt: number;
}

export interface DrillRun {
  id: string;
  drill: string;
  file: string;
  inventory: string;
  startedAt: number;
  /** When the fault took effect (the lab's own time for lab faults); null when it never did. */
  injectedAt: number | null;
  /** Restore began (the end of the fault window). */
  restoreAt: number | null;
  /** Restore ended. */
  restoredAt: number | null;
  endedAt: number;
  inject: StepRecord | null;
  restore: StepRecord[];
  /** Every restore step ended ok. */
  restored: boolean;
  requests: TrafficRecord[];
  /** Per probe: an ok request slower than this is slow. */
  slowMs: Record<string, number>;
  events: DrillEvent[];
  /** Which event counts as detection. */
  detect: { source?: string; match?: string } | undefined;
  conditions: ConditionRecord[];
  budget: BudgetSpec;
  /** Why the drill stopped early (abort_if, ^C, a failed injection); absent when it ran to the end. */
  aborted?: string;
  placeholders: Record<string, string>;
}
