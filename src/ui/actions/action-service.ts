// The console's thin command layer over the action engine: plans an action
// from the live store, runs it over the monitor's own transports (no new
// handshake) with the locks and the journal, and feeds the actions store
// from the runner's hooks. The UI never calls the engine any other way, and
// the engine never draws.
import type { Transport } from '../../transport/types.js';
import type { BatonStore } from '../../store/store.js';
import { createActionsStore, type ActionsStore, type HostRunState } from '../../store/actions.js';
import { executeAction, type ActionResult, type ExecuteDeps } from '../../ops/engine/execute.js';
import { listActions, type ActionSummary } from '../../ops/engine/history.js';
import { abandonAction, resumeAction, rollbackAction } from '../../ops/engine/lifecycle.js';
import type { LockManager } from '../../ops/engine/locks/lock-types.js';
import { currentOperator, type Operator } from '../../ops/engine/operator.js';
import { newActionId, type Plan } from '../../ops/engine/plan.js';
import { isRefusal, refuseIfReadOnly, UsageError, type ActionRegistry, type AnyAction, type LiveContext, type Refusal } from '../../ops/engine/registry.js';
import { liveFromStore } from '../../ops/engine/live-context.js';
import { RunControl } from '../../ops/engine/run-control.js';
import type { RunHooks, StepResult } from '../../ops/engine/runner.js';
import type { HostOutput } from '../../ops/exec/output-groups.js';

export interface ActionServiceDeps {
  store: BatonStore;
  registry: ActionRegistry;
  /** The monitor's transports: actions reuse its connections. */
  transports: ReadonlyMap<string, Transport>;
  /** Made on first use: the etcd backend talks to a member only when an action runs. */
  locks(): LockManager;
  journalDir: string;
  who?: Operator;
  now?: () => number;
  progress?: ActionsStore;
}

export type Planned = { plan: Plan; def: AnyAction } | { refused: Refusal } | { error: string; hint?: string };

interface Running {
  control: RunControl;
  done: Promise<void>;
}

export class ActionService {
  readonly progress: ActionsStore;
  private readonly who: Operator;
  private readonly now: () => number;
  private lockManager: LockManager | undefined;
  private readonly running = new Map<string, Running>();
  /** Every step result per action run, for the grouped output. */
  private readonly results = new Map<string, Map<string, StepResult>>();
  /** The plan of every action this console ran, for what the result offers next (clear after a move). */
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly deps: ActionServiceDeps) {
    this.progress = deps.progress ?? createActionsStore();
    this.who = deps.who ?? currentOperator();
    this.now = deps.now ?? Date.now;
  }

  /** Where this console journals its actions (the Deploy pane reads its runs there). */
  get journalDir(): string {
    return this.deps.journalDir;
  }

  /** The read-only gate, asked before anything is planned or even prompted for. */
  refusal(action: string): Refusal | undefined {
    return refuseIfReadOnly(this.deps.store.getState().readOnly, this.deps.registry.get(action) ?? action);
  }

  /** Every action name, for `:act` completion. */
  actionNames(): string[] {
    return this.deps.registry.list().map((a) => a.name);
  }

  /** Every action: built-in and the operator's own (~/.config/baton/actions/, actions/ beside the inventory). */
  actions(): AnyAction[] {
    return this.deps.registry.list();
  }

  async plan(action: string, argv: string[], options: Record<string, unknown> = {}): Promise<Planned> {
    const gate = this.refusal(action);
    if (gate) return { refused: gate };
    const def = this.deps.registry.get(action);
    if (!def) return { error: `unknown action "${action}"` };
    let args: unknown;
    try {
      args = def.parseArgs(argv, options);
      const live = this.live();
      const facts: unknown = def.observe ? await def.observe(live, args) : undefined;
      const now = this.now();
      const plan = def.plan({ state: live.state, inventory: live.inventory, now, who: this.who, newId: () => newActionId(now), facts }, args);
      return isRefusal(plan) ? { refused: plan } : { plan, def };
    } catch (err) {
      if (err instanceof UsageError) return { error: err.message, hint: err.hint };
      return { error: `${action}: ${(err as Error).message}` };
    }
  }

  /** Runs a confirmed plan in the background; progress goes to the actions store. */
  start(plan: Plan, def: AnyAction): void {
    const control = new RunControl();
    this.plans.set(plan.id, plan);
    this.begin(plan);
    // Only as many plans as the actions store keeps actions.
    const shown = new Set(this.progress.getState().actions.map((a) => a.id));
    for (const id of this.plans.keys()) if (!shown.has(id)) this.plans.delete(id);
    this.track(plan.id, control, executeAction(plan, def, this.executeDeps(), { hooks: this.hooks(plan), control }));
  }

  /** The plan of an action this console started. */
  planOf(id: string): Plan | undefined {
    return this.plans.get(id);
  }

  isRunning(): boolean {
    return this.running.size > 0;
  }

  isRunningAction(id: string): boolean {
    return this.running.has(id);
  }

  /** Pauses a running action (no new step starts) or resumes a paused one; false when it is not running. */
  togglePause(id: string): boolean {
    const run = this.running.get(id);
    if (!run) return false;
    if (run.control.isPaused) run.control.resume();
    else run.control.pause();
    this.progress.getState().setState(id, run.control.isPaused ? 'paused' : 'running', this.now());
    return true;
  }

  /** Passes an action's own request to its runner (a deploy's pause at the batch boundary, a canary's promotion); false when it is not running. */
  request(id: string, what: string): boolean {
    const run = this.running.get(id);
    if (!run) return false;
    run.control.request(what);
    return true;
  }

  /** Stops new steps; running ones finish, or are killed on their hosts with kill. */
  abort(id: string, kill: boolean): boolean {
    const run = this.running.get(id);
    if (!run) return false;
    run.control.abort({ kill, reason: `aborted by ${this.who.user} (${kill ? 'running steps killed' : 'running steps let finish'})` });
    this.progress.getState().setState(id, 'running', this.now(), kill ? 'aborting: killing the running steps' : 'aborting: letting the running steps finish');
    return true;
  }

  /** Per host: its outcome, exit code and output (every step's, in order). */
  outputs(id: string): HostOutput[] {
    const byHost = new Map<string, HostOutput>();
    for (const r of this.results.get(id)?.values() ?? []) {
      const prev = byHost.get(r.hostId);
      const join = (a: string | undefined, b: string) => (a ? a + b : b);
      byHost.set(r.hostId, { host: r.hostId, outcome: r.outcome, rc: r.rc, stdout: join(prev?.stdout, r.stdout), stderr: join(prev?.stderr, r.stderr), error: r.error ?? prev?.error });
    }
    return [...byHost.values()];
  }

  /** Journaled actions that no process finishes: the console offers resume, rollback, abandon. */
  async interrupted(): Promise<ActionSummary[]> {
    // An interrupted drill is offered by the drill layer: its way back is its restore, not a resume.
    return (await listActions(this.deps.journalDir)).filter((a) => a.state === 'interrupted' && a.plan.action !== 'drill');
  }

  async resumeJournaled(summary: ActionSummary, mode: 'resume' | 'rollback'): Promise<Refusal | undefined> {
    const gate = this.refusal(summary.plan.action);
    if (gate) return gate;
    const control = new RunControl();
    const plan = summary.plan;
    const hostsOf = mode === 'rollback' ? summary.hostsDone : plan.targets;
    this.begin({ ...plan, title: `${mode === 'rollback' ? 'roll back' : 'resume'}: ${plan.title}`, targets: hostsOf });
    const options = { hooks: this.hooks(plan), control };
    const run = mode === 'rollback' ? rollbackAction(this.deps.registry, this.executeDeps(), summary.id, options) : resumeAction(this.deps.registry, this.executeDeps(), summary.id, options);
    this.track(plan.id, control, run);
    const result = await run.catch(() => undefined);
    return isRefusal(result) ? result : undefined;
  }

  async abandon(summary: ActionSummary): Promise<Refusal | undefined> {
    const result = await abandonAction(this.executeDeps(), summary.id);
    return isRefusal(result) ? result : undefined;
  }

  /** Waits for every running action (tests, and the console before it exits). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** The live context (store, inventory, the monitor's transports) for reads beside the actions: the Sync pane's diff and versions. */
  liveContext(): LiveContext {
    return this.live();
  }

  private live(): LiveContext {
    return liveFromStore(this.deps.store, this.deps.transports, this.now);
  }

  private executeDeps(): ExecuteDeps {
    this.lockManager ??= this.deps.locks();
    return { live: this.live(), locks: this.lockManager, journalDir: this.deps.journalDir, who: this.who };
  }

  private begin(plan: Pick<Plan, 'id' | 'action' | 'title' | 'targets'>): void {
    this.results.set(plan.id, new Map());
    this.progress.getState().begin({ id: plan.id, action: plan.action, title: plan.title, hosts: plan.targets, at: this.now() });
  }

  private hooks(plan: Plan): RunHooks {
    const progress = this.progress.getState();
    const lastStep = new Map<string, string>();
    for (const s of [...plan.steps, ...plan.undo]) lastStep.set(s.hostId, s.id);
    return {
      onStepStart: (step) => progress.host(plan.id, step.hostId, { state: 'running', startedAt: this.now() }),
      onStep: (r) => {
        this.results.get(plan.id)?.set(r.stepId, r);
        const over = r.outcome !== 'ok' || lastStep.get(r.hostId) === r.stepId;
        const state: HostRunState = over ? r.outcome : 'running';
        progress.host(plan.id, r.hostId, { state, endedAt: over ? this.now() : undefined, output: (r.stdout + r.stderr).slice(-4096) || r.error });
      },
    };
  }

  private track(id: string, control: RunControl, run: Promise<ActionResult | Refusal>): void {
    const progress = this.progress.getState();
    const done = run.then(
      (result) => {
        if (isRefusal(result)) progress.setState(id, 'refused', this.now(), result.reason);
        else progress.setState(id, result.state, this.now(), result.verify.detail);
      },
      (err: Error) => progress.setState(id, 'failed', this.now(), `the engine failed: ${err.message}`),
    ).finally(() => this.running.delete(id));
    this.running.set(id, { control, done });
  }
}
