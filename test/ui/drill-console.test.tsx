// D in the console: the picker of drill files (shipped, then the operator's;
// a broken one with its error), the plan in the confirm dialog (y on the
// lab, the inventory's name typed elsewhere), the Pacemaker pane's own D
// left alone; and at start, a drill the journal says was cut off is offered
// for restore: r runs its journaled restore steps for real, esc leaves it.
import { cleanup } from 'ink-testing-library';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterEach, describe, expect, test } from 'vitest';
import type { DrillSpec } from '../../src/ops/drills/drill-spec.js';
import type { StepOp } from '../../src/ops/drills/drill-steps.js';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { journalPath, JournalWriter, parseJournal } from '../../src/ops/engine/journal.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { newActionId, type Plan } from '../../src/ops/engine/plan.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/types.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { DrillService } from '../../src/ui/drills/drill-service.js';
import { waitFor } from '../helpers/wait-for.js';
import { hostIds } from './action-console.js';
import { inventory, spec } from './fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from './render-app.js';

const REPO = join(import.meta.dirname, '../..');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  cleanup();
  for (const c of cleanups.splice(0)) await c();
});

/** Records what the console asked to start instead of running it (the real run is test/e2e/console-drill-pty.test.ts). */
class StartRecorder extends DrillService {
  started: { spec: DrillSpec; file: string }[] = [];
  override start(spec: DrillSpec, file: string): void {
    this.started.push({ spec, file });
  }
}

interface DrillConsole {
  m: Mounted;
  drills: StartRecorder;
  store: BatonStore;
  journalDir: string;
}

function drillConsole(options: { lab?: boolean; userDrills?: Record<string, string>; journalDir?: string; viewName?: string } = {}): DrillConsole {
  const ids = hostIds(2);
  const inv = inventory(ids.map((id) => ({ ...spec(id, ['local']), transport: 'local' as const, address: '127.0.0.1' })));
  const store = createBatonStore(inv);
  store.getState().applyUpdates(ids.map((hostId) => ({ hostId, kind: 'conn' as const, conn: 'up' as const, at: Date.now() })));
  const transports = new Map<string, Transport>(ids.map((id) => [id, new LocalTransport(id)]));
  const journalDir = options.journalDir ?? mkdtempSync(join(tmpdir(), 'baton-ui-drill-journal-'));
  const configDir = mkdtempSync(join(tmpdir(), 'baton-ui-drill-config-'));
  mkdirSync(join(configDir, 'drills'));
  for (const [name, text] of Object.entries(options.userDrills ?? {})) writeFileSync(join(configDir, 'drills', name), text);
  const registry = builtinActions();
  const locks = () => createLockManager(inv, transports, 5000);
  const actions = new ActionService({ store, registry, transports, locks, journalDir });
  const drills = new StartRecorder({
    store,
    registry,
    transports,
    locks,
    journalDir,
    reportDir: join(configDir, 'reports'),
    drillDirs: [join(REPO, 'drills'), join(configDir, 'drills')],
    labSocket: () => Promise.resolve(options.lab ? join(configDir, 'control.sock') : undefined),
  });
  const m = mount(store, { actions, drills, clock: Date.now, viewName: options.viewName, size: { columns: 100, rows: 40 } });
  cleanups.push(async () => {
    m.unmount();
    await Promise.all([...transports.values()].map((t) => t.close()));
    rmSync(configDir, { recursive: true, force: true });
    rmSync(journalDir, { recursive: true, force: true });
  });
  return { m, drills, store, journalDir };
}

const BROKEN = 'name: mine\ntraffic:\n  - name: web\n    http: http://127.0.0.1:9/\ninject:\n  lab_fail: app:web2\nbudgte: {}\n';

describe('D: pick a drill, see its plan, confirm', () => {
  test('the picker lists the shipped drills, then the operator\'s; a broken file shows its error and cannot be picked', async () => {
    const c = drillConsole({ userDrills: { 'mine.yaml': BROKEN } });
    await press(c.m, 'D');
    const s = screen(c.m);
    expect(s).toContain('Run a failover drill');
    const names = [...s.matchAll(/^[│┃][> ] (lab-[a-z-]+|\(invalid\))/gm)].map((x) => x[1]);
    expect(names).toEqual(['lab-etcd-leader', 'lab-pacemaker-node', 'lab-queue-consumers', 'lab-web-app', '(invalid)']);
    expect(s).toMatch(/lab-web-app\s+lab_fail app:web2\s+.*drills\/lab-web-app\.yaml/);
    expect(s).toMatch(/\(invalid\)\s+.*mine\.yaml:7:1: budgte: unknown/);
    await press(c.m, 'j', 'j', 'j', 'j', KEYS.enter);
    expect(screen(c.m)).toMatch(/not valid: .*mine\.yaml:7:1: budgte: unknown key/);
    await press(c.m, KEYS.escape);
    expect(c.m.app.ui.getState().mode).toBe('normal');
    expect(c.drills.started).toEqual([]);
  });

  test('not the lab: the plan (fault, traffic, expects, restore, abort_if, budget, blast radius), then the inventory\'s name typed', async () => {
    const c = drillConsole();
    await press(c.m, 'D', 'j', 'j', 'j', KEYS.enter);
    await waitFor(() => /Confirm drill lab-web-app/.test(screen(c.m)), 5000, 'the confirm dialog');
    const s = screen(c.m);
    expect(s).toContain('injects       lab fail app:web2 · after 2 s of traffic');
    expect(s).toContain('traffic       frontend: http://127.0.3.6:8000/ · 20/s · timeout 1 s');
    expect(s).toContain('expects       web2 marked DOWN by HAProxy · within 10 s');
    expect(s).toContain('web2 UP again after restore · within 15 s after restore');
    expect(s).toContain('restore       lab heal app:web2');
    expect(s).toContain('abort if      traffic probe:frontend below:50 window:2000 for 10 s');
    expect(s).toContain('budget        detection 8 s · RTO 10 s (traffic back above 95 %) · longest outage 3 s');
    expect(s).toContain('              requests: failed 100 · unknown 40');
    expect(s).toContain('blast radius  prod-eu (NOT the lab: a real cluster) · locks host:ux01');
    expect(s).toContain('a real fault in prod-eu, not the lab: type prod-eu');
    // y is no answer here: it is typed, and a wrong name does nothing.
    await press(c.m, 'y', KEYS.enter);
    expect(screen(c.m)).toContain('type prod-eu exactly to run it on this inventory');
    expect(c.drills.started).toEqual([]);
    await press(c.m, KEYS.backspace, ...'prod-eu', KEYS.enter);
    expect(c.drills.started.map((d) => d.spec.name)).toEqual(['lab-web-app']);
    // The drill view shows, its pane focused.
    expect(c.m.app.ui.getState().view).toBe('drill');
    expect(screen(c.m)).toMatch(/┏━ Drill/);
  });

  test('the lab: y runs it; n cancels with nothing run', async () => {
    const c = drillConsole({ lab: true });
    await press(c.m, 'D', 'j', KEYS.enter);
    await waitFor(() => /Confirm drill lab-pacemaker-node/.test(screen(c.m)), 5000, 'the confirm dialog');
    expect(screen(c.m)).toContain('y run it (A or ^C aborts and restores)');
    await press(c.m, 'n');
    expect(screen(c.m)).toContain('cancelled: nothing ran');
    expect(c.drills.started).toEqual([]);
    await press(c.m, 'D', 'j', 'j', 'j', KEYS.enter);
    await waitFor(() => /Confirm drill lab-web-app/.test(screen(c.m)), 5000, 'the confirm dialog');
    await press(c.m, 'y');
    expect(c.drills.started.map((d) => d.spec.name)).toEqual(['lab-web-app']);
  });

  test('D opens the picker in the Pacemaker pane too (the demo starts there): pacemaker.disable is T', async () => {
    const c = drillConsole({ viewName: 'ha' });
    await press(c.m, 'D');
    expect(screen(c.m)).toContain('Run a failover drill');
    await press(c.m, KEYS.escape, 'T');
    expect(screen(c.m)).toContain('pacemaker.disable runs on a resource: put the cursor on one');
  });
});

/** A drill journal left by a console SIGKILLed after its fault: begin (with the restore steps), lock, inject ok. */
async function interruptedDrill(journalDir: string, restore: StepOp[]): Promise<Plan> {
  const id = newActionId(Date.now());
  const step = (sid: string, label: string) => ({ id: sid, hostId: 'drill', label, spec: { kind: 'command' as const, command: label }, timeoutMs: 120_000, retries: 0 });
  const plan: Plan = {
    id,
    action: 'drill',
    title: 'drill local-stop: exec host=ux01 stop',
    args: { drill: 'local-stop', restore },
    inventory: 'prod-eu',
    createdAt: Date.now(),
    targets: [],
    locks: ['host:ux01'],
    changes: [],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    steps: [step('inject', 'exec host=ux01 stop')],
    undo: restore.map((_, i) => step(`restore:${i}`, `restore step ${i}`)),
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    verify: 'traffic',
  };
  const dead = spawnSync('true').pid;
  const journal = await JournalWriter.open(journalDir, id);
  const at = Date.now();
  await journal.append({ t: 'begin', v: 1, at, who: { user: userInfo().username, host: hostname(), pid: dead }, plan });
  await journal.append({ t: 'step-start', at, step: 'inject', host: 'drill', attempt: 1 });
  await journal.append({ t: 'step-end', at, step: 'inject', host: 'drill', attempt: 1, outcome: 'ok', rc: null, durationMs: 5, stdout: 'stopped', stderr: '' });
  await journal.close();
  return plan;
}

const records = (dir: string, id: string) => parseJournal(readFileSync(journalPath(dir, id), 'utf8')).records;

describe('a drill cut off mid-drill, at the next start', () => {
  test('offered with what it injected and its restore; r runs the journaled restore for real and ends the journal', async () => {
    const journalDir = mkdtempSync(join(tmpdir(), 'baton-ui-drill-journal-'));
    const marker = join(journalDir, 'restored-by-the-console');
    const plan = await interruptedDrill(journalDir, [{ kind: 'action', name: 'exec', argv: ['host=ux01', quote(['touch', marker])], options: {} }]);
    const c = drillConsole({ journalDir });
    await waitFor(() => /Interrupted drill/.test(screen(c.m)), 10_000, 'the interrupted drill offer');
    const s = screen(c.m);
    expect(s).toContain('drill local-stop');
    expect(s).toContain(`${plan.id} · by ${userInfo().username}@${hostname()}`);
    expect(s).toContain('the fault was injected and may still be in place');
    expect(s).toContain('restore: restore step 0');
    // Not offered as an action to resume as well.
    expect(s).not.toContain('Interrupted action');
    await press(c.m, 'r');
    await waitFor(() => c.m.app.ui.getState().mode === 'normal', 20_000, 'the restore ends');
    expect(existsSync(marker)).toBe(true);
    expect(screen(c.m)).toContain(`drill local-stop restored: 1 restore step ok (baton history ${plan.id})`);
    const after = records(journalDir, plan.id);
    expect(after.find((r) => r.t === 'resume')).toMatchObject({ mode: 'rollback' });
    expect(after.filter((r) => r.t === 'step-end').at(-1)).toMatchObject({ step: 'restore:0', outcome: 'ok' });
    expect(after.at(-1)).toMatchObject({ t: 'end', state: 'rolled-back' });
  });

  test('esc leaves it for later: the journal is untouched and the next start offers it again', async () => {
    const journalDir = mkdtempSync(join(tmpdir(), 'baton-ui-drill-journal-'));
    const plan = await interruptedDrill(journalDir, [{ kind: 'action', name: 'exec', argv: ['host=ux01', 'true'], options: {} }]);
    const before = readFileSync(journalPath(journalDir, plan.id), 'utf8');
    const first = drillConsole({ journalDir });
    await waitFor(() => /Interrupted drill/.test(screen(first.m)), 10_000, 'the offer');
    await press(first.m, KEYS.escape);
    expect(screen(first.m)).toContain('interrupted drills left for later');
    expect(readFileSync(journalPath(journalDir, plan.id), 'utf8')).toBe(before);
    first.m.unmount();
    const again = drillConsole({ journalDir });
    await waitFor(() => /Interrupted drill/.test(screen(again.m)), 10_000, 'offered again');
  });
});
