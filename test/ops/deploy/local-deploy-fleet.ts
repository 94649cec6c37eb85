// Deploy targets for the runner tests, with real shells: every "host" is a
// local transport with a deploy root of its own, on releases/v1 (current ->
// releases/v1) until a deploy switches it. Plans come from deploy text the
// way `baton deploy run` makes them.
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '../../../src/inventory/types.js';
import { parseDeploy } from '../../../src/ops/deploy/load-deploy.js';
import { planDeploy, type DeployFacts } from '../../../src/ops/deploy/plan-deploy.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { hostSpec } from '../../store/fixtures.js';

const roots: string[] = [];

/** For afterEach: removes every fleet made since the last call. */
export function removeDeployFleets(): void {
  for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export type DeployFleet = ReturnType<typeof localDeployFleet>;

/** web1..webN, each on v1. */
export function localDeployFleet(n: number) {
  const base = mkdtempSync(join(tmpdir(), 'baton-deploy-'));
  roots.push(base);
  const ids = Array.from({ length: n }, (_, i) => `web${i + 1}`);
  const hosts = ids.map((id) => {
    const root = join(base, id);
    mkdirSync(join(root, 'releases', 'v1'), { recursive: true });
    symlinkSync('releases/v1', join(root, 'current'));
    return hostSpec(id, { vars: { deploy_root: root } });
  });
  const inventory: Inventory = { name: 't', format: 'baton', file: 't.yaml', hosts, groups: {} };
  const transports = new Map(ids.map((id) => [id, new LocalTransport(id)]));
  return { base, ids, inventory, transports, current: (id: string) => readlinkSync(join(base, id, 'current')) };
}

/** The plan of deploying v2 (by default) from this deploy text to every host of the fleet, each seen on v1. */
export function deployPlan(f: DeployFleet, text: string, version = 'v2'): Plan {
  const load = parseDeploy('t.yaml', text);
  if (!load.ok) throw new Error(load.errors.map((e) => e.message).join('\n'));
  const facts: DeployFacts = { current: Object.fromEntries(f.ids.map((t) => [t, { release: 'v1' }])), lbServers: {}, lbBackends: {}, lbProblems: [] };
  const p = planDeploy({ spec: load.deploy, file: 't.yaml', order: load.order, version, targets: f.ids }, facts, f.inventory, Date.now(), () => `run-${Math.random().toString(36).slice(2)}`);
  if ('refused' in p) throw new Error(p.reason);
  return p;
}
