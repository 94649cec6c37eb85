// The Pacemaker actions against the lab's cluster (as root the real one:
// corosync and pacemakerd in namespaced nodes, web1-3's sessions on them;
// otherwise a CIB file driven by the real scheduler, sessions on web1-3 with
// CIB_file), over the lab's SSH with the etcd lock backend, as `baton act
// --yes` runs them: observe -> plan -> lock -> steps -> verify -> journal.
// Needs `npm run build` (the lab is started by the built CLI).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../../src/cli/session.js';
import { executeAction, type ActionResult } from '../../../../src/ops/engine/execute.js';
import { createLockManager } from '../../../../src/ops/engine/locks/create-lock-manager.js';
import { newActionId, type Plan } from '../../../../src/ops/engine/plan.js';
import type { LiveContext, Refusal } from '../../../../src/ops/engine/registry.js';
import { pacemakerActions } from '../../../../src/ops/failover/pacemaker/pacemaker-actions.js';
import { parsePacemakerProbe, PACEMAKER_PROBE_COMMAND, type PacemakerSnapshot } from '../../../../src/probes/pacemaker.js';
import { BATON_CLI, startTestLab, type TestLab } from '../../../helpers/lab.js';
import { sessionOptions } from '../../../helpers/session-options.js';

const action = (verb: string) => pacemakerActions.find((a) => a.name === `pacemaker.${verb}`)!;
let lab: TestLab;
let session: Session;
let live: LiveContext;
let journalDir: string;

beforeAll(async () => {
  lab = await startTestLab();
  session = await openSession(sessionOptions({ inventory: lab.files.inventory }));
  live = { state: session.store.getState(), inventory: session.inventory, transports: session.transports, now: Date.now };
  journalDir = mkdtempSync(join(tmpdir(), 'baton-pcmk-journal-'));
}, 60_000);
afterAll(async () => {
  await session?.monitor.stop();
  await lab?.down();
  if (journalDir) rmSync(journalDir, { recursive: true, force: true });
});

async function planOf(verb: string, argv: string[], options: Record<string, unknown> = {}): Promise<Plan | Refusal> {
  const def = action(verb);
  const args = def.parseArgs(argv, { timeout: 20, ...options });
  const facts = await def.observe!(live, args);
  const now = Date.now();
  return def.plan({ state: session.store.getState(), inventory: session.inventory, now, who: { user: 'ops', host: 'test', pid: process.pid }, newId: () => newActionId(now), facts }, args);
}

async function act(verb: string, argv: string[], options: Record<string, unknown> = {}): Promise<{ plan: Plan; result: ActionResult }> {
  const plan = await planOf(verb, argv, options);
  if ('refused' in plan) throw new Error(`refused: ${plan.reason}`);
  const result = await executeAction(plan, action(verb), { live, locks: createLockManager(session.inventory, session.transports), journalDir, who: { user: 'ops', host: 'test', pid: process.pid } });
  if ('refused' in result) throw new Error(`refused: ${result.reason}`);
  return { plan, result };
}

/** What the operator's own crm_mon says, over the lab's real OpenSSH. */
function crmMon(): PacemakerSnapshot {
  const r = lab.ssh('web2', PACEMAKER_PROBE_COMMAND);
  const parsed = parsePacemakerProbe(r.stdout);
  if (parsed.kind !== 'snapshot') throw new Error(parsed.message);
  return parsed.snapshot;
}
/** What the VIP answers, with curl from this machine (real mode only: the lab's bridge). */
const vip = () => spawnSync('curl', ['-s', '-m', '2', 'http://10.250.3.100/'], { encoding: 'utf8', timeout: 5_000 }).stdout;
const placed = (s: PacemakerSnapshot, id: string) => s.resources.filter((r) => r.group === id).flatMap((r) => r.nodes);
const cliConstraints = (s: PacemakerSnapshot) => (s.constraints.kind === 'read' ? s.constraints.list.map((c) => c.id) : ['unreadable']);

describe('pacemaker actions on the lab cluster', () => {
  it('move web-group to node3 --pin: predicted, verified, crm_mon agrees, cli-prefer stays; clear removes it', async () => {
    const { plan, result } = await act('move', ['web-group', 'node3'], { pin: true });
    expect(plan.changes).toContainEqual({ target: 'web-vip', what: 'runs on (scheduler prediction)', before: 'node1', after: 'node3' });
    expect(plan.locks).toEqual(['pacemaker:baton-lab:resource:web-group']);
    expect(result.state, result.verify.detail).toBe('ok');
    expect(result.verify.detail).toMatch(/^web-group runs on node3; cli-prefer-web-group in place \(crm_mon on web\d; seen \d+\.\d s after the steps/);
    const after = crmMon();
    expect(placed(after, 'web-group')).toEqual(['node3', 'node3']);
    expect(cliConstraints(after)).toEqual(['cli-prefer-web-group']);

    const cleared = await act('clear', ['web-group']);
    expect(cleared.result.state, cleared.result.verify.detail).toBe('ok');
    expect(cliConstraints(crmMon())).toEqual([]);
    expect(placed(crmMon(), 'web-group')).toEqual(['node3', 'node3']); // stickiness keeps it there
  }, 60_000);

  it('default move to node2: place, wait, the scheduler says it stays, the constraint is removed', async () => {
    const { plan, result } = await act('move', ['web-group', 'node2']);
    expect(plan.preconditions).toContainEqual({ what: 'prediction after removing the constraint', ok: true, detail: 'web-group stays: no action' });
    expect(result.run.results.map((r) => `${r.stepId}:${r.outcome}`)).toEqual(['place:ok', 'wait:ok', 'clear:ok']);
    expect(result.state, result.verify.detail).toBe('ok');
    const after = crmMon();
    expect(placed(after, 'web-group')).toEqual(['node2', 'node2']);
    expect(cliConstraints(after)).toEqual([]);
  }, 60_000);

  it('standby the node running web-group: it moves away and the node runs nothing (real mode: the VIP answers from another node); online brings the node back', async () => {
    const real = lab.status().components.find((c) => c.name === 'pacemaker')?.mode === 'real';
    if (real) expect(vip()).toBe('served by node2\n');
    const standby = await act('standby', ['node2']);
    expect(standby.plan.changes).toContainEqual(expect.objectContaining({ target: 'web-vip', before: 'node2' }));
    expect(standby.result.state, standby.result.verify.detail).toBe('ok');
    expect(standby.result.verify.detail).toMatch(/^node2 is standby, running nothing/);
    const s = crmMon();
    expect(placed(s, 'web-group')).not.toContain('node2');
    // Verified means served: the VIP already answers from the node crm_mon names, no extra wait.
    if (real) expect(vip()).toBe(`served by ${placed(s, 'web-group')[0]}\n`);
    const online = await act('online', ['node2']);
    expect(online.result.state, online.result.verify.detail).toBe('ok');
    expect(crmMon().nodes.find((n) => n.name === 'node2')?.state).toBe('online');
  }, 60_000);

  it('baton act: the plan with --pin, and a resource that does not exist is exit 3 listing those that do', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [BATON_CLI, 'act', ...args, '-i', lab.files.inventory], { encoding: 'utf8', timeout: 30_000 });
    const ok = run('pacemaker.move', 'web-group', 'node3', '--pin', '--lifetime', 'PT1H', '--plan');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('crm_resource --move --resource=web-group --node=node3 --lifetime=PT1H');
    expect(ok.stdout).toMatch(/web-vip {2}runs on \(scheduler prediction\): node\d -> node3/);
    const missing = run('pacemaker.move', 'nope', 'node1', '--plan');
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('no resource "nope" in cluster baton-lab; its resources: web-group, ping-clone, web-vip, web-server, ping');
  });
});
