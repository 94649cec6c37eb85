// An action run as data: what it will do, to which hosts, how success is
// checked and how it is undone. Journaled whole, so resume and rollback use
// exactly what was confirmed, never a re-plan.
import { randomBytes } from 'node:crypto';
import type { ServiceStatePoll } from '../../probes/service-state.js';

/** A step's, a verify's or an action's outcome; `unknown` = sent but not confirmed. */
export type Outcome = 'ok' | 'failed' | 'unknown';
/** A step that never ran or was killed because the outcome was already known (or on abort). */
export type StepOutcome = Outcome | 'cancelled';
export type ActionState = 'running' | 'ok' | 'failed' | 'unknown' | 'interrupted' | 'abandoned' | 'rolled-back';
/** Seed C94: what a failure does to the steps not yet started. */
export type FailurePolicy = 'stop' | 'continue' | 'ignore';
/** Seed C88 strategies: when the action as a whole succeeded. */
export type Completion = 'all' | 'first-success' | 'majority' | 'all-or-nothing';

export const COMPLETIONS: readonly Completion[] = ['all', 'first-success', 'majority', 'all-or-nothing'];

export type StepSpec =
  /** A complete, already shell-quoted command line. */
  | { kind: 'command'; command: string }
  /** SFTP: temp file in the target dir + rename; backupPath keeps the replaced file. */
  | { kind: 'upload'; localPath: string; remotePath: string; mode?: number; backupPath?: string }
  | { kind: 'fetch'; remotePath: string; localPath: string }
  /** A read-only command re-run until its output shows `until` (a service state) or deadlineSeconds pass. */
  | { kind: 'poll'; command: string; until: ServiceStatePoll; deadlineSeconds: number };

export interface Step {
  /** Unique and stable within the plan: resume skips steps whose journal says ok. */
  id: string;
  hostId: string;
  label: string;
  spec: StepSpec;
  timeoutMs: number;
  /** Extra attempts with exponential backoff; 0 unless the step is idempotent. */
  retries: number;
  /** Steps of batch n start once batch n-1 is settled (rolling deploys); default 0. */
  batch?: number;
}

export interface Change {
  target: string;
  what: string;
  before: string;
  after: string;
}

export interface Precondition {
  what: string;
  ok: boolean;
  detail?: string;
}

export interface Plan {
  /** Time-sortable run id: 20261203T120301Z-<8 hex>. */
  id: string;
  /** Registry name: 'exec', 'copy', 'fetch', 'kill', later 'pacemaker.move' ... */
  action: string;
  /** One line for humans: "exec 'uptime' on web[01-03]". */
  title: string;
  args: Record<string, unknown>;
  /** Inventory name or path. */
  inventory: string;
  createdAt: number;
  /** Host ids: the blast radius, and where `logger -t baton` records the run. */
  targets: string[];
  /** Lock keys this run takes: 'host:web1', 'haproxy:lb1:app/web2', ... */
  locks: string[];
  changes: Change[];
  preconditions: Precondition[];
  risk: { clusters: string[]; reasons: string[] };
  steps: Step[];
  /** Run on rollback (or all-or-nothing) for the hosts whose steps succeeded; [] = no undo. */
  undo: Step[];
  concurrency: number;
  failurePolicy: FailurePolicy;
  completion: Completion;
  /** How success is verified, for humans. */
  verify: string;
}

export const TYPED_CONFIRM_ABOVE_HOSTS = 10;

/**
 * How much confirmation a plan needs scales with its blast radius, not the
 * action's name: typed when it touches more than 10 hosts, a whole cluster,
 * or the plan names a risk (quorum, last healthy server).
 */
export function confirmLevel(plan: Pick<Plan, 'targets' | 'risk'>): 'yes' | 'typed' {
  const typed = plan.targets.length > TYPED_CONFIRM_ABOVE_HOSTS || plan.risk.clusters.length > 0 || plan.risk.reasons.length > 0;
  return typed ? 'typed' : 'yes';
}

/** The word a typed confirmation asks for: the cluster, else the single target, else the inventory. */
export function confirmWord(plan: Pick<Plan, 'targets' | 'risk' | 'inventory'>): string {
  return plan.risk.clusters[0] ?? (plan.targets.length === 1 ? plan.targets[0]! : plan.inventory);
}

/** `20261203T120301Z`: ids, and names derived from the plan's time (backups). */
export function compactStamp(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** 20261203T120301Z-1a2b3c4d: sorts by time, unique across consoles. */
export function newActionId(now: number): string {
  return `${compactStamp(now)}-${randomBytes(4).toString('hex')}`;
}
