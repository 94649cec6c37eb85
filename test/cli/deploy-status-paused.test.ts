// `baton deploy status` on a deploy the runner paused at a batch boundary
// (a real run over local shells, journaled): PAUSED with its reason and the
// resume command, and in --json `paused` beside the journal's own state.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployStatus } from '../../src/cli/deploy-status.js';
import type { Inventory } from '../../src/inventory/types.js';
import { DEPLOY_REQUESTS } from '../../src/ops/deploy/deploy-requests.js';
import { parseDeploy } from '../../src/ops/deploy/load-deploy.js';
import { planDeploy } from '../../src/ops/deploy/plan-deploy.js';
import { runDeploy } from '../../src/ops/deploy/run-deploy.js';
import { journalDir } from '../../src/ops/engine/history.js';
import { JournalWriter } from '../../src/ops/engine/journal.js';
import { RunControl } from '../../src/ops/engine/run-control.js';
import { LocalTransport } from '../../src/transport/local.js';
import { hostSpec } from '../store/fixtures.js';

let base = '';
const saved = process.env.XDG_STATE_HOME;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'baton-deploy-status-'));
  process.env.XDG_STATE_HOME = join(base, 'state');
});
afterAll(() => {
  if (saved === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = saved;
  rmSync(base, { recursive: true, force: true });
});

async function capture(json: boolean): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  try {
    await deployStatus(json);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('deploy status of a paused deploy', () => {
  it('says paused, why, and how to go on', async () => {
    const ids = ['web1', 'web2'];
    const hosts = ids.map((id) => {
      mkdirSync(join(base, id, 'releases', 'v1'), { recursive: true });
      symlinkSync('releases/v1', join(base, id, 'current'));
      return hostSpec(id, { vars: { deploy_root: join(base, id) } });
    });
    const inventory: Inventory = { name: 't', format: 'baton', file: 't.yaml', hosts, groups: {} };
    const load = parseDeploy('web.yaml', 'name: web\ntargets: all\nrelease: { fetch: "true" }\nstrategy: { kind: rolling, serial: 1 }\nstages:\n  - { name: fetch, builtin: upload }\n  - { name: link, builtin: link, needs: [fetch] }\n');
    if (!load.ok) throw new Error('bad file');
    const plan = planDeploy({ spec: load.deploy, file: 'web.yaml', order: load.order, version: 'v2', targets: ids }, { current: { web1: { release: 'v1' }, web2: { release: 'v1' } }, lbServers: {}, lbBackends: {}, lbProblems: [] }, inventory, Date.now(), () => 'PAUSED1');
    if ('refused' in plan) throw new Error(plan.reason);
    const transports = new Map(ids.map((id) => [id, new LocalTransport(id)]));
    const journal = await JournalWriter.open(journalDir(), plan.id);
    await journal.append({ t: 'begin', v: 1, at: Date.now(), who: { user: 't', host: 'h', pid: process.pid }, plan });
    const control = new RunControl();
    await runDeploy(plan, { transports, journal }, { onStepStart: () => control.request(DEPLOY_REQUESTS.pause) }, control);
    await journal.append({ t: 'end', at: Date.now(), state: 'failed' });
    await journal.close();
    await Promise.all([...transports.values()].map((t) => t.close()));

    const text = await capture(false);
    expect(text).toMatch(/web\s+v2\s+paused\s+1\/2\s+PAUSED1/);
    expect(text).toContain('web paused by the operator before batch 2/2: baton resume PAUSED1 | baton deploy rollback web.yaml --to v1');
    expect(JSON.parse(await capture(true))[0]).toMatchObject({ id: 'PAUSED1', state: 'failed', paused: 'by the operator before batch 2/2' });
  });
});
