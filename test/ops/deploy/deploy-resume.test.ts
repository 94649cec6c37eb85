// A deploy that rolled one host back and went on (on_failure: continue),
// then resumed from its journal, through the engine as `baton deploy run`
// and `baton resume` take it, with real shells: every "host" is a local
// transport with a deploy root of its own, the locks a directory.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deployAction } from '../../../src/ops/deploy/deploy-action.js';
import { executeAction, type ActionResult, type ExecuteDeps } from '../../../src/ops/engine/execute.js';
import { loadAction } from '../../../src/ops/engine/history.js';
import { resumeAction } from '../../../src/ops/engine/lifecycle.js';
import { DirLockManager } from '../../../src/ops/engine/locks/dir-locks.js';
import { ActionRegistry, type LiveContext } from '../../../src/ops/engine/registry.js';
import { createBatonStore } from '../../../src/store/store.js';
import { deployPlan, localDeployFleet, removeDeployFleets } from './local-deploy-fleet.js';

afterEach(removeDeployFleets);

/** The local fleet, seen up by a store, with directory locks and a journal of its own: what `baton deploy run` executes with. */
function fleet(n: number) {
  const f = localDeployFleet(n);
  const store = createBatonStore(f.inventory);
  store.getState().applyUpdates(f.ids.map((hostId) => ({ hostId, kind: 'conn', conn: 'up', at: 0 })));
  const live: LiveContext = { state: store.getState(), inventory: f.inventory, transports: f.transports, now: Date.now };
  const locks = new DirLockManager({ transports: f.transports, hostFor: (key) => key.split(':')[1]!, ttlMs: 60_000, root: join(f.base, 'locks') });
  const deps: ExecuteDeps = { live, locks, journalDir: join(f.base, 'journal'), who: { user: 'ops', host: 'here', pid: process.pid } };
  return { ...f, deps };
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
  return deployPlan(f, DEPLOY);
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
