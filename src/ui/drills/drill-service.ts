// The console's thin layer over the drill runner, as ActionService is over
// the engine: lists the drill files, previews one from the live store, runs
// it over the monitor's own transports (the runner journals, locks, injects
// and restores), feeds a small store from the runner's progress, writes the
// report, and restores drills the journal says were interrupted. The UI
// never runs a drill step any other way.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { computeFigures } from '../../ops/drills/drill-figures.js';
import { interruptedDrills, restoreInterrupted, type InterruptedDrill } from '../../ops/drills/drill-interrupted.js';
import { previewDrill, type DrillPreview } from '../../ops/drills/drill-preview.js';
import { renderMarkdown } from '../../ops/drills/drill-report.js';
import { writeReport } from '../../ops/drills/drill-reports.js';
import { DrillControl, runDrill, type DrillPhase, type DrillProgress } from '../../ops/drills/drill-runner.js';
import type { DrillRun, StepRecord } from '../../ops/drills/drill-run.js';
import type { DrillSpec } from '../../ops/drills/drill-spec.js';
import { listDrills, type DrillLoad } from '../../ops/drills/load-drill.js';
import type { TrafficRecord } from '../../ops/drills/traffic-probe.js';
import type { LockManager } from '../../ops/engine/locks/lock-types.js';
import { currentOperator, type Operator } from '../../ops/engine/operator.js';
import { newActionId } from '../../ops/engine/plan.js';
import { isRefusal, refuseIfReadOnly, type ActionRegistry } from '../../ops/engine/registry.js';
import type { BatonStore } from '../../store/store.js';
import type { Transport } from '../../transport/types.js';
import type { DrillOutcome } from './drill-lines.js';

export interface DrillServiceDeps {
  store: BatonStore;
  registry: ActionRegistry;
  transports: ReadonlyMap<string, Transport>;
  /** Made on first use, as for actions. */
  locks(): LockManager;
  journalDir: string;
  reportDir: string;
  /** Shipped drills, then the operator's. */
  drillDirs: readonly string[];
  /** The lab's control socket when the inventory is a running lab's (asked once). */
  labSocket(): Promise<string | undefined>;
  who?: Operator;
}

/** The drill on screen: running, or the last one, with its outcome. */
export interface LiveDrill {
  id: string;
  drill: string;
  /** Before the runner's first phase: first readings, placeholders, the lock. */
  phase: DrillPhase | 'starting';
  run?: DrillRun;
  requests(): readonly TrafficRecord[];
  outcome?: DrillOutcome;
  /** Refused (lock held, read-only, a placeholder) or failed to run. */
  error?: string;
  /** Progress lines of the runner (the CLI's stderr). */
  log: string[];
}

export interface DrillUiState {
  current?: LiveDrill;
}

export type DrillStore = StoreApi<DrillUiState>;

const LOG_LINES = 20;

export class DrillService {
  readonly live: DrillStore = createStore<DrillUiState>()(() => ({ current: undefined }));
  private readonly who: Operator;
  private lockManager: LockManager | undefined;
  private control: DrillControl | undefined;
  private running: Promise<void> | undefined;
  private lab: Promise<string | undefined> | undefined;

  constructor(private readonly deps: DrillServiceDeps) {
    this.who = deps.who ?? currentOperator();
  }

  /** Every drill file, broken ones with their errors. */
  list(): DrillLoad[] {
    return listDrills(this.deps.drillDirs);
  }

  /** The read-only gate (a drill changes the systems), or a drill already running. */
  refusal(): string | undefined {
    if (this.running) return `drill ${this.live.getState().current?.drill ?? ''} is running: A or ^C aborts it`;
    return refuseIfReadOnly(this.deps.store.getState().readOnly, 'drill')?.reason;
  }

  /** Whether the inventory is the running lab's (`y` confirms) or not (its name typed). */
  async isLab(): Promise<boolean> {
    return (await this.labSocket()) !== undefined;
  }

  private labSocket(): Promise<string | undefined> {
    this.lab ??= this.deps.labSocket().catch(() => undefined);
    return this.lab;
  }

  inventoryName(): string {
    return this.deps.store.getState().inventory.name;
  }

  preview(spec: DrillSpec): DrillPreview {
    const state = this.deps.store.getState();
    return previewDrill(spec, state, state.inventory);
  }

  isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs the drill in the background; the live store follows it. */
  start(spec: DrillSpec, file: string): void {
    if (this.running) return;
    const control = new DrillControl();
    const id = newActionId(Date.now());
    this.control = control;
    const log: string[] = [];
    let requests: () => readonly TrafficRecord[] = () => [];
    const set = (change: Partial<LiveDrill>) => {
      const current = this.live.getState().current;
      if (current?.id === id) this.live.setState({ current: { ...current, ...change } });
    };
    this.live.setState({ current: { id, drill: spec.name, phase: 'starting', requests: () => requests(), log } });
    const onProgress = (p: DrillProgress) => {
      requests = p.phase === 'done' ? () => p.run.requests : p.requests;
      set({ phase: p.phase, run: p.run });
    };
    const say = (line: string) => {
      log.push(line);
      if (log.length > LOG_LINES) log.shift();
      set({ log: [...log] });
    };
    this.running = this.run(spec, file, id, control, onProgress, say)
      .then((result) => set(result))
      .catch((err: Error) => set({ error: `the drill failed: ${err.message}` }))
      .finally(() => {
        this.running = undefined;
        this.control = undefined;
      });
  }

  private async run(spec: DrillSpec, file: string, id: string, control: DrillControl, onProgress: (p: DrillProgress) => void, log: (line: string) => void): Promise<Partial<LiveDrill>> {
    const labSocket = await this.labSocket();
    this.lockManager ??= this.deps.locks();
    const { store, transports, registry, journalDir } = this.deps;
    const run = await runDrill(spec, file, id, { store, inventory: store.getState().inventory, transports, registry, locks: this.lockManager, journalDir, who: this.who, labSocket, log, onProgress }, control);
    if (isRefusal(run)) return { error: run.hint ? `${run.reason} (${run.hint})` : run.reason };
    const figures = computeFigures(run);
    const paths = writeReport(this.deps.reportDir, { version: 1, figures, run }, renderMarkdown(figures, run));
    return { outcome: { passed: figures.passed, failures: figures.failures, report: paths.markdown } };
  }

  /** Ends the fault window; the runner restores. False when no drill runs. */
  abort(reason: string): boolean {
    if (!this.control) return false;
    this.control.abort(reason);
    return true;
  }

  /** Resolves when no drill runs (tests, and the console before it exits). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drills the journal says were cut off mid-drill. */
  interrupted(): Promise<InterruptedDrill[]> {
    return interruptedDrills(this.deps.journalDir);
  }

  /** Runs an interrupted drill's journaled restore steps. */
  async restore(drill: InterruptedDrill): Promise<{ restored: boolean; steps: StepRecord[] }> {
    this.lockManager ??= this.deps.locks();
    const labSocket = await this.labSocket();
    const { store, transports, registry, journalDir } = this.deps;
    return restoreInterrupted(drill, { store, transports, registry, locks: this.lockManager, journalDir, who: this.who, labSocket });
  }
}
