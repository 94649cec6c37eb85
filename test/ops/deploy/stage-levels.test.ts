// Stages with no dependency between them run at once: the DAG's levels, and
// the runner with real shells (every "host" a local transport with a deploy
// root of its own) where two stages can only both end ok if they overlap.
import { afterEach, describe, expect, it } from 'vitest';
import { type DeployMeta } from '../../../src/ops/deploy/plan-deploy.js';
import { runDeploy } from '../../../src/ops/deploy/run-deploy.js';
import { stageLevels } from '../../../src/ops/deploy/stage-order.js';
import { deployPlan, localDeployFleet, removeDeployFleets } from './local-deploy-fleet.js';

afterEach(removeDeployFleets);

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
    const f = localDeployFleet(2);
    // Each marks that it started, then waits (5 s at most) for the other's mark: run one after the other, the first fails.
    const meets = (me: string, other: string) => `{ name: ${me}, needs: [link], timeout: 10s, command: "touch $DEPLOY_TO/${me}; for i in $(seq 50); do [ -e $DEPLOY_TO/${other} ] && exit 0; sleep 0.1; done; exit 1" }`;
    const plan = deployPlan(
      f,
      `name: t
targets: all
release: { fetch: "true" }
strategy: { kind: parallel }
stages:
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch] }
  - ${meets('warm', 'seed')}
  - ${meets('seed', 'warm')}
  - { name: done, command: "[ -e $DEPLOY_TO/warm ] && [ -e $DEPLOY_TO/seed ]", needs: [warm, seed] }
`,
    );
    expect((plan.args.deploy as DeployMeta).levels).toEqual([['fetch'], ['link'], ['warm', 'seed'], ['done']]);
    const r = await runDeploy(plan, { transports: f.transports });
    expect(r.results.filter((s) => s.outcome !== 'ok').map((s) => `${s.stepId}: ${s.outcome}`)).toEqual([]);
    expect(r.hostOutcomes).toEqual({ web1: 'ok', web2: 'ok' });
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v2']);
  }, 30_000);
});
