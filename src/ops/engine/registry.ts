// What an action is to the engine: how its arguments parse, a pure planner,
// and a verify that re-reads real state. The registry holds every action
// (built-in now, the operator's own YAML ones later); `--read-only` refuses
// all of them here, before any planning.
import type { Inventory } from '../../inventory/types.js';
import type { BatonState } from '../../store/types.js';
import type { Transport } from '../../transport/types.js';
import type { Operator } from './operator.js';
import type { Outcome, Plan } from './plan.js';
import type { RunControl } from './run-control.js';
import type { RunDeps, RunHooks, RunResult } from './runner.js';

/** A bad command line (exit 1). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The engine will not run this (exit 3): read-only, lock held, precondition. */
export interface Refusal {
  refused: true;
  reason: string;
  hint?: string;
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as Refusal).refused === true;
}

export interface PlanContext<F = unknown> {
  state: BatonState;
  inventory: Inventory;
  now: number;
  who: Operator;
  newId(): string;
  /** What `observe` read from the live hosts before planning (kill: the matching processes). */
  facts: F;
}

/** Read-only access to live state for `observe` and `verify`. */
export interface LiveContext {
  state: BatonState;
  inventory: Inventory;
  transports: ReadonlyMap<string, Transport>;
  now(): number;
}

export interface VerifyResult {
  outcome: Outcome;
  detail: string;
  hosts?: Record<string, Outcome>;
}

export interface CustomActionMeta {
  key?: string;
  /** Show the plan and ask before running. */
  confirm: boolean;
  /** Changes a managed system: refused in --read-only. Only a custom action may say false. */
  dangerous: boolean;
  /** The file it came from. */
  source: string;
}

export type ActionScope = 'host' | 'selection' | 'group' | 'fleet' | `${string}.${string}`;

export interface ActionDefinition<A = unknown, F = undefined> {
  name: string;
  summary: string;
  /** Arguments after the action name, for `baton act --list` and help. */
  usage: string;
  scope: ActionScope;
  /** Set for an operator's own YAML action: its key, whether it asks first and whether it changes anything. */
  custom?: CustomActionMeta;
  /** Throws UsageError (exit 1). argv = TARGET and ARGS. */
  parseArgs(argv: string[], options: Record<string, unknown>): A;
  /**
   * Reads what the planner must show before anything changes (kill lists the
   * processes it would signal). Read-only; absent when the store is enough.
   */
  observe?(ctx: LiveContext, args: A): Promise<F>;
  /** PURE: no I/O. */
  plan(ctx: PlanContext<F>, args: A): Plan | Refusal;
  /**
   * Runs the plan's steps itself instead of the engine's runner (a deploy's
   * batches, gates and per-host rollbacks); the engine still locks, journals,
   * verifies and logs around it, and resume passes the earlier steps in deps.
   */
  run?(plan: Plan, deps: RunDeps, hooks?: RunHooks, control?: RunControl): Promise<RunResult>;
  /** Re-reads the state the action meant to change; turns unknown steps into ok/failed where it can. */
  verify(ctx: LiveContext, plan: Plan, run: RunResult): Promise<VerifyResult>;
}

// The registry holds actions of different argument types; each one's own
// functions agree on its type, so erasing it here is safe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAction = ActionDefinition<any, any>;

export class ActionRegistry {
  private readonly actions = new Map<string, AnyAction>();

  register<A, F>(def: ActionDefinition<A, F>): this {
    if (this.actions.has(def.name)) throw new Error(`action ${def.name} is registered twice`);
    this.actions.set(def.name, def);
    return this;
  }

  get(name: string): AnyAction | undefined {
    return this.actions.get(name);
  }

  list(): AnyAction[] {
    return [...this.actions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/**
 * The one read-only gate: every action, before planning. Only an operator's
 * own action declared `dangerous: false` (a diagnostic) passes it.
 */
export function refuseIfReadOnly(readOnly: boolean, action: string | AnyAction): Refusal | undefined {
  if (!readOnly || (typeof action !== 'string' && action.custom?.dangerous === false)) return undefined;
  const name = typeof action === 'string' ? action : action.name;
  return { refused: true, reason: `${name} refused: baton runs with --read-only (no action may change a managed system)`, hint: 'run without --read-only to act' };
}
