// One drill, end to end, with the monitor polling: wait for baton's first
// readings, resolve the placeholders, take the lock on what the fault touches,
// journal, start the traffic, let it settle, inject, watch the expect and
// abort_if conditions in the store, restore (always: after a failed
// injection, an abort or ^C too), check what needs the restore, let the
// traffic run on a little, then give everything back.
import type { Inventory } from '../../inventory/types.js';
import type { BatonStore } from '../../store/store.js';
import type { Transport } from '../../transport/types.js';
import { JournalWriter } from '../engine/journal.js';
import { LockHeldError, type HeldLock, type LockManager } from '../engine/locks/lock-types.js';
import type { Operator } from '../engine/operator.js';
import type { Plan } from '../engine/plan.js';
import type { ActionRegistry, Refusal } from '../engine/registry.js';
import { conditionHolds, takeBaseline, type Baseline } from './drill-conditions.js';
import { drillLockKeys, throughDrillLock } from './drill-locks.js';
import { resolvePlaceholders, stringsIn, substituteAll } from './drill-placeholders.js';
import type { ConditionRecord, DrillEvent, DrillRun, StepRecord } from './drill-run.js';
import { conditionName, type ConditionSpec, type DrillSpec } from './drill-spec.js';
import { injectOp, labelOf, restoreOp, runStep, type StepDeps, type StepOp } from './drill-steps.js';
import { implicitRestore } from './implicit-restore.js';
import { requester, TrafficProbe, type TrafficRecord } from './traffic-probe.js';

export interface DrillDeps {
  store: BatonStore;
  inventory: Inventory;
  transports: ReadonlyMap<string, Transport>;
  registry: ActionRegistry;
  locks: LockManager;
  journalDir: string;
  who: Operator;
  labSocket?: string;
  /** Progress lines (stderr in the CLI). */
  log(line: string): void;
  /** Each phase as it begins, with the live run (the console's stopwatch reads it). */
  onProgress?(progress: DrillProgress): void;
}

export type DrillPhase = 'settling' | 'injecting' | 'watching' | 'restoring' | 'checking' | 'observing' | 'done';

export interface DrillProgress {
  phase: DrillPhase;
  /** Filled in as the drill goes (conditions met, events, restore); `requests` only once done. */
  run: DrillRun;
  /** Every request so far, all probes. */
  requests(): TrafficRecord[];
}

/** ^C (or a key) aborts: the fault window ends and the restore runs. */
export class DrillControl {
  reason: string | undefined;
  private readonly waiters = new Set<() => void>();
  abort(reason: string): void {
    this.reason ??= reason;
    for (const w of this.waiters) w();
  }
  /** Sleeps ms, or less when aborted. */
  sleep(ms: number): Promise<void> {
    if (this.reason) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

const TICK_MS = 100;
const FIRST_READINGS_MS = 20_000;
const nowMs = () => performance.timeOrigin + performance.now();

/** Until every service has answered once, conditions would read nothing (a service that stays silent is waited for up to 20 s). */
async function firstReadings(store: BatonStore, control: DrillControl): Promise<void> {
  const deadline = nowMs() + FIRST_READINGS_MS;
  while (nowMs() < deadline && !control.reason) {
    if (Object.values(store.getState().services).every((s) => s.updatedAt !== undefined)) return;
    await control.sleep(TICK_MS);
  }
}

/** The drill as a plan for its journal: what it injects and restores (its undo), the locks, the targets. */
function drillPlan(id: string, spec: DrillSpec, inventory: Inventory, inject: StepOp, restore: StepOp[], locks: string[]): Plan {
  const step = (sid: string, op: StepOp) => ({ id: sid, hostId: op.kind === 'lab' ? 'lab' : 'drill', label: labelOf(op), spec: { kind: 'command' as const, command: labelOf(op) }, timeoutMs: 120_000, retries: 0 });
  return {
    id,
    action: 'drill',
    title: `drill ${spec.name}: ${labelOf(inject)}`,
    // The restore steps as run, so a drill whose process died can be restored from its journal.
    args: { drill: spec.name, restore },
    inventory: inventory.name,
    createdAt: Date.now(),
    targets: [],
    locks,
    changes: [],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    steps: [step('inject', inject)],
    undo: restore.map((op, i) => step(`restore:${i}`, op)),
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    verify: spec.expect.map(conditionName).join('; ') || 'traffic',
  };
}

/** Watches conditions until each is met or past its deadline, or the drill is aborted; abort_if conditions end it early. */
async function watch(conditions: ConditionSpec[], records: ConditionRecord[], origin: number, input: () => Omit<Parameters<typeof conditionHolds>[1], 'now' | 'since'>, control: DrillControl, abortIf: ConditionSpec[] = []): Promise<void> {
  const heldSince = new Map<number, number>();
  for (;;) {
    const now = nowMs();
    const ctx = { ...input(), now, since: origin };
    conditions.forEach((c, i) => {
      if (records[i]!.metAt === null && now <= origin + records[i]!.withinMs && conditionHolds(c, ctx)) records[i]!.metAt = now;
    });
    abortIf.forEach((c, i) => {
      if (!conditionHolds(c, ctx)) return heldSince.delete(i);
      const since = heldSince.get(i) ?? now;
      heldSince.set(i, since);
      if (now - since >= c.for) control.abort(`abort_if ${conditionName(c)} held${c.for ? ` for ${c.for / 1000} s` : ''}`);
    });
    const open = records.some((r) => r.metAt === null && now <= origin + r.withinMs);
    if (!open || control.reason) return;
    await control.sleep(TICK_MS);
  }
}

export async function runDrill(spec: DrillSpec, file: string, id: string, deps: DrillDeps, control = new DrillControl()): Promise<DrillRun | Refusal> {
  const startedAt = Date.now();
  await firstReadings(deps.store, control);
  const restoreSpec = spec.restore ?? implicitRestore(spec.inject) ?? [];
  const resolved = resolvePlaceholders(stringsIn([spec.inject, restoreSpec, spec.expect, spec.abort_if]), deps.store.getState(), deps.inventory);
  if ('error' in resolved) return { refused: true, reason: `drill ${spec.name}: ${resolved.error}`, hint: 'baton --once shows what baton sees; wait for the cluster to settle' };
  const inject = substituteAll(spec.inject, resolved.values);
  const expectations = substituteAll(spec.expect, resolved.values);
  const abortIf = substituteAll(spec.abort_if, resolved.values);
  const injectStep = injectOp(inject, deps);
  if ('error' in injectStep) return { refused: true, reason: `drill ${spec.name}: ${injectStep.error}` };
  const restoreSteps = substituteAll(restoreSpec, resolved.values).map(restoreOp);
  const keys = drillLockKeys(inject, deps.inventory);

  let lock: HeldLock;
  try {
    lock = await deps.locks.acquire(keys, { ...deps.who, action: `drill ${spec.name}`, actionId: id, since: Date.now() });
  } catch (err) {
    if (err instanceof LockHeldError) return { refused: true, reason: err.message, hint: 'wait for it to finish, or break the lock with baton act lock.break KEY' };
    throw err;
  }
  const journal = await JournalWriter.open(deps.journalDir, id);
  const note = (message: string) => journal.append({ t: 'note', at: Date.now(), message }).catch(() => undefined);
  const stepDeps: StepDeps = { store: deps.store, transports: deps.transports, registry: deps.registry, locks: throughDrillLock(deps.locks, lock), journalDir: deps.journalDir, who: deps.who, journal, labSocket: deps.labSocket };
  const events: DrillEvent[] = [];
  const seen = new Set(deps.store.getState().events.map((e) => e.id));
  const unsubscribe = deps.store.subscribe((state) => {
    const at = nowMs();
    for (const e of [...state.events].reverse()) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      events.push({ at, source: e.source, severity: e.severity, message: e.message, ...(e.hostId ? { hostId: e.hostId } : {}) });
    }
  });
  const probes = spec.traffic.map((t) => new TrafficProbe(t, requester(t, deps.transports)));
  const run: DrillRun = {
    id,
    drill: spec.name,
    file,
    inventory: deps.inventory.name,
    startedAt,
    injectedAt: null,
    restoreAt: null,
    restoredAt: null,
    endedAt: startedAt,
    inject: null,
    restore: [],
    restored: false,
    requests: [],
    slowMs: Object.fromEntries(spec.traffic.map((t) => [t.name, t.slow])),
    events,
    detect: inject.detect,
    conditions: expectations.map((c) => ({ name: conditionName(c), after: c.after, withinMs: c.within ?? 0, metAt: null })),
    budget: spec.budget,
    placeholders: resolved.values,
  };
  let state: 'ok' | 'failed' = 'failed';
  const progress = (phase: DrillPhase) => deps.onProgress?.({ phase, run, requests: () => probes.flatMap((p) => p.records) });
  try {
    await journal.append({ t: 'begin', v: 1, at: Date.now(), who: deps.who, plan: drillPlan(id, spec, deps.inventory, injectStep, restoreSteps, keys) });
    await journal.append({ t: 'lock', at: Date.now(), backend: lock.backend, keys: [...lock.keys], token: lock.token });
    lock.onLost((reason) => void note(`lock lost during the drill: ${reason}`));
    for (const p of probes) p.start();
    progress('settling');
    deps.log(`traffic: ${spec.traffic.map((t) => `${t.name} ${t.rate}/s`).join(', ')}; settling ${spec.inject.settle / 1000} s`);
    await control.sleep(spec.inject.settle);
    const baseline: Baseline = takeBaseline(deps.store.getState(), expectations);
    const live = () => ({ state: deps.store.getState(), inventory: deps.inventory, baseline, requests: probes.flatMap((p) => p.records), events: events.filter((e) => run.injectedAt !== null && e.at >= run.injectedAt) });
    if (!control.reason) {
      progress('injecting');
      deps.log(`inject: ${labelOf(injectStep)}`);
      const r = await runStep(injectStep, 'inject', stepDeps);
      run.inject = strip(r);
      run.injectedAt = r.effectiveAt;
      if (r.outcome !== 'ok') control.abort(`the fault was not injected: ${r.detail}`);
      else deps.log(`injected (${r.detail.split('\n')[0]})`);
      await note(`inject ${r.outcome}: ${r.detail}`);
    }
    const during = expectations.filter((c) => c.after === 'inject');
    const duringRecords = run.conditions.filter((c) => c.after === 'inject');
    if (run.injectedAt !== null) {
      progress('watching');
      await watch(during, duringRecords, run.injectedAt, live, control, abortIf);
    }
    for (const c of duringRecords) await note(`expect ${c.name}: ${c.metAt === null ? 'not met' : `met after ${Math.round(c.metAt - run.injectedAt!)} ms`}`);
    if (control.reason) {
      deps.log(`aborting: ${control.reason}; restoring`);
      await note(`aborted: ${control.reason}`);
    }
    run.aborted = control.reason;
    run.restoreAt = nowMs();
    progress('restoring');
    run.restore = await restoreAll(restoreSteps, stepDeps, deps.log);
    run.restoredAt = nowMs();
    run.restored = run.restore.every((s) => s.outcome === 'ok');
    const afterRestore = expectations.filter((c) => c.after === 'restore');
    // Restore conditions are judged even after an abort: they say whether the system came back.
    if (afterRestore.length > 0) {
      progress('checking');
      await watch(afterRestore, run.conditions.filter((c) => c.after === 'restore'), run.restoredAt, live, new DrillControl());
    }
    if (!run.aborted) {
      progress('observing');
      await control.sleep(spec.observe);
    }
    state = !run.aborted && run.restored && run.conditions.every((c) => c.metAt !== null) ? 'ok' : 'failed';
  } finally {
    await Promise.all(probes.map((p) => p.stop()));
    unsubscribe();
    run.requests = probes.flatMap((p) => p.records).sort((a, b) => a.startAt - b.startAt);
    run.endedAt = nowMs();
    await journal.append({ t: 'verify', at: Date.now(), outcome: state, detail: run.conditions.map((c) => `${c.name}: ${c.metAt === null ? 'not met' : 'met'}`).join('; ') || 'no conditions' }).catch(() => undefined);
    await lock.release().catch((err: Error) => note(`could not give the locks back (${err.message}); they expire after their TTL`));
    await journal.append({ t: 'end', at: Date.now(), state }).catch(() => undefined);
    await journal.close();
    progress('done');
  }
  return run;
}

/** Every restore step runs, whatever the one before did. */
export async function restoreAll(steps: StepOp[], deps: StepDeps, log: (line: string) => void): Promise<StepRecord[]> {
  const out: StepRecord[] = [];
  for (const [i, op] of steps.entries()) {
    log(`restore: ${labelOf(op)}`);
    const r = await runStep(op, `restore:${i}`, deps);
    out.push(strip(r));
    if (r.outcome !== 'ok') log(`restore ${r.outcome}: ${r.detail}`);
  }
  return out;
}

const strip = ({ effectiveAt: _, ...rest }: StepRecord & { effectiveAt: number | null }): StepRecord => rest;
