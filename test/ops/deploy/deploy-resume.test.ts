// A deploy that rolled one host back and went on (on_failure: continue),
// then resumed from its journal, through the engine as `baton deploy run`
// and `baton resume` take it, with real shells: every "host" is a local
// transport with a deploy root of its own, the locks a directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { deployAction } from '../../../src/ops/deploy/deploy-action.js';
import { parseDeploy } from '../../../src/ops/deploy/load-deploy.js';
import { planDeploy, type DeployFacts } from '../../../src/ops/deploy/plan-deploy.js';
import { executeAction, type ActionResult, type ExecuteDeps } from '../../../src/ops/engine/execute.js';
import { loadAction } from '../../../src/ops/engine/history.js';
import { resumeAction } from '../../../src/ops/engine/lifecycle.js';
import { DirLockManager } from '../../../src/ops/engine/locks/dir-locks.js';
import { ActionRegistry, type LiveContext } from '../../../src/ops/engine/registry.js';
import { createBatonStore } from '../../../src/store/store.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { hostSpec } from '../../store/fixtures.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function fleet(n: number) {
  const base = mkdtempSync(join(tmpdir(), 'baton-deploy-resume-'));
  dirs.push(base);
  const ids = Array.from({ length: n }, (_, i) => `web${i + 1}`);
  const hosts = ids.map((id) => {
    const root = join(base, id);
    mkdirSync(join(root, 'releases', 'v1'), { recursive: true });
    symlinkSync('releases/v1', join(root, 'current'));
    return hostSpec(id, { vars: { deploy_root: root } });
  });
  const inventory: Inventory = { name: 't', format: 'baton', file: 't.yaml', hosts, groups: {} };
  const transports = new Map(ids.map((id) => [id, new LocalTransport(id)]));
  const store = createBatonStore(inventory);
  store.getState().applyUpdates(ids.map((hostId) => ({ hostId, kind: 'conn', conn: 'up', at: 0 })));
  const live: LiveContext = { state: store.getState(), inventory, transports, now: Date.now };
  const locks = new DirLockManager({ transports, hostFor: (key) => key.split(':')[1]!, ttlMs: 60_000, root: join(base, 'locks') });
  const deps: ExecuteDeps = { live, locks, journalDir: join(base, 'journal'), who: { user: 'ops', host: 'here', pid: process.pid } };
  return { base, ids, inventory, deps, current: (id: string) => readlinkSync(join(base, id, 'current')) };
}

// web2's check fails until $DEPLOY_TO/fixed exists; its rollback leaves a line behind.
const DEPLOY = `name: t
targets: all
release: { fetch: "echo fetched > marker" }
strategy: { kind: rolling, serial: 1 }
on_failure: continue
stages:
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch] }
  - { name: check, command: "[ \\"$HOST\\" != web2 ] || [ -e \\"$DEPLOY_TO/fixed\\" ]", needs: [link], rollback: "echo undone >> \\"$DEPLOY_TO/rollbacks\\"" }
`;

function plan(f: ReturnType<typeof fleet>) {
  const load = parseDeploy('t.yaml', DEPLOY);
  if (!load.ok) throw new Error(load.errors.map((e) => e.message).join('\n'));
  const facts: DeployFacts = { current: Object.fromEntries(f.ids.map((t) => [t, { release: 'v1' }])), lbServers: {}, lbBackends: {}, lbProblems: [] };
  const p = planDeploy({ spec: load.deploy, file: 't.yaml', order: load.order, version: 'v2', targets: f.ids }, facts, f.inventory, Date.now(), () => `run-${Math.random().toString(36).slice(2)}`);
  if ('refused' in p) throw new Error(p.reason);
  return p;
}

const done = (r: Awaited<ReturnType<typeof executeAction>>): ActionResult => {
  if ('refused' in r) throw new Error(r.reason);
  return r;
};

describe('deploy: resume after a partial rollback (on_failure: continue)', () => {
  it('the run is failed, not rolled back (two hosts stay on v2); resume takes the rolled-back host through every stage again', async () => {
    const f = fleet(3);
    const p = plan(f);
    const first = done(await executeAction(p, deployAction, f.deps));
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v1', 'releases/v2']);
    expect(readFileSync(join(f.base, 'web2', 'rollbacks'), 'utf8')).toBe('undone\n');
    // web1 and web3 are on v2: only web2 went back, so the run is failed (resumable), not rolled-back.
    expect(first.state).toBe('failed');

    writeFileSync(join(f.base, 'web2', 'fixed'), '');
    const registry = new ActionRegistry().register(deployAction);
    const again = done(await resumeAction(registry, f.deps, p.id));
    // web2 was switched back to v1 by its rollback: its switch runs again, not skipped as journaled ok.
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v2', 'releases/v2']);
    expect(again.state).toBe('ok');
    const ran = again.run.results.filter((r) => !r.earlier).map((r) => r.stepId);
    expect(ran).toEqual(['b1/web2/fetch', 'b1/web2/link', 'b1/web2/check', 'b1/web2/prune']);
    expect(existsSync(join(f.base, 'web2', 'releases', 'v2', 'marker'))).toBe(true);
    const summary = (await loadAction(f.deps.journalDir, p.id))!;
    expect(summary.state).toBe('ok');
    expect(summary.hostsDone).toEqual(f.ids);
  });
});
