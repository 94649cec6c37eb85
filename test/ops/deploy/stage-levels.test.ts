// Stages with no dependency between them run at once: the DAG's levels, and
// the runner with real shells (every "host" a local transport with a deploy
// root of its own) where two stages can only both end ok if they overlap.
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { parseDeploy } from '../../../src/ops/deploy/load-deploy.js';
import { planDeploy, type DeployFacts, type DeployMeta } from '../../../src/ops/deploy/plan-deploy.js';
import { runDeploy } from '../../../src/ops/deploy/run-deploy.js';
import { stageLevels } from '../../../src/ops/deploy/stage-order.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { hostSpec } from '../../store/fixtures.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const stage = (name: string, ...needs: string[]) => ({ name, needs });

describe('stage levels', () => {
  it('a stage goes in the level after the last of its needs; file order within a level', () => {
    expect(stageLevels([stage('upload'), stage('config'), stage('link', 'upload', 'config'), stage('restart', 'link'), stage('warm', 'link'), stage('ready', 'restart', 'warm')])).toEqual([
      ['upload', 'config'],
      ['link'],
      ['restart', 'warm'],
      ['ready'],
    ]);
    expect(stageLevels([stage('a'), stage('b', 'a'), stage('c', 'b'), stage('d', 'a')])).toEqual([['a'], ['b', 'd'], ['c']]);
  });
});

describe('deploy runner: independent stages', () => {
  it('two stages that need only the switch run at once on every host (each waits for the other to have started)', async () => {
    const base = mkdtempSync(join(tmpdir(), 'baton-deploy-levels-'));
    dirs.push(base);
    const ids = ['web1', 'web2'];
    const hosts = ids.map((id) => {
      const root = join(base, id);
      mkdirSync(join(root, 'releases', 'v1'), { recursive: true });
      symlinkSync('releases/v1', join(root, 'current'));
      return hostSpec(id, { vars: { deploy_root: root } });
    });
    const inventory: Inventory = { name: 't', format: 'baton', file: 't.yaml', hosts, groups: {} };
    // Each marks that it started, then waits (5 s at most) for the other's mark: run one after the other, the first fails.
    const meets = (me: string, other: string) => `{ name: ${me}, needs: [link], timeout: 10s, command: "touch $DEPLOY_TO/${me}; for i in $(seq 50); do [ -e $DEPLOY_TO/${other} ] && exit 0; sleep 0.1; done; exit 1" }`;
    const load = parseDeploy('t.yaml', `name: t
targets: all
release: { fetch: "true" }
strategy: { kind: parallel }
stages:
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch] }
  - ${meets('warm', 'seed')}
  - ${meets('seed', 'warm')}
  - { name: done, command: "[ -e $DEPLOY_TO/warm ] && [ -e $DEPLOY_TO/seed ]", needs: [warm, seed] }
`);
    if (!load.ok) throw new Error(load.errors.map((e) => e.message).join('\n'));
    const facts: DeployFacts = { current: Object.fromEntries(ids.map((t) => [t, { release: 'v1' }])), lbServers: {}, lbBackends: {}, lbProblems: [] };
    const plan = planDeploy({ spec: load.deploy, file: 't.yaml', order: load.order, version: 'v2', targets: ids }, facts, inventory, Date.now(), () => 'run1');
    if ('refused' in plan) throw new Error(plan.reason);
    expect((plan.args.deploy as DeployMeta).levels).toEqual([['fetch'], ['link'], ['warm', 'seed'], ['done']]);
    const r = await runDeploy(plan, { transports: new Map(ids.map((id) => [id, new LocalTransport(id)])) });
    expect(r.results.filter((s) => s.outcome !== 'ok').map((s) => `${s.stepId}: ${s.outcome}`)).toEqual([]);
    expect(r.hostOutcomes).toEqual({ web1: 'ok', web2: 'ok' });
    expect(ids.map((id) => readlinkSync(join(base, id, 'current')))).toEqual(['releases/v2', 'releases/v2']);
  }, 30_000);
});
