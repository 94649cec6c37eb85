// The deploy runner's failure policies, retries and rollbacks, with real
// shells: every "host" is a local transport with a deploy root of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { canaryWeight } from '../../../src/ops/deploy/canary-steps.js';
import type { DeployMeta } from '../../../src/ops/deploy/plan-deploy.js';
import { runDeploy } from '../../../src/ops/deploy/run-deploy.js';
import { deployPlan, localDeployFleet, removeDeployFleets, type DeployFleet } from './local-deploy-fleet.js';

afterEach(removeDeployFleets);
const fleet = localDeployFleet;

function plan(f: DeployFleet, extra: string, stage: string): Plan {
  return deployPlan(
    f,
    `name: t
targets: all
release: { fetch: "echo fetched > marker" }
${extra}
stages:
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch] }
  - ${stage}
`,
  );
}

const failsOnWeb2 = '{ name: check, command: "[ \\"$HOST\\" != web2 ]", needs: [link] }';

describe('deploy runner', () => {
  it('stop: a failing host stops the deploy after its batch and rollback auto puts every switched host back', async () => {
    const f = fleet(3);
    const r = await runDeploy(plan(f, 'strategy: { kind: rolling, serial: 1 }', failsOnWeb2), { transports: f.transports });
    expect(r.outcome).toBe('failed');
    expect(r.hostOutcomes).toEqual({ web1: 'failed', web2: 'failed', web3: 'cancelled' });
    expect(f.ids.map(f.current)).toEqual(['releases/v1', 'releases/v1', 'releases/v1']);
    expect(r.undo.map((u) => u.stepId)).toEqual(['undo/web2/link', 'undo/web1/link']);
  });

  it('continue: the failed host is rolled back, the others deploy; the deploy still fails', async () => {
    const f = fleet(3);
    const r = await runDeploy(plan(f, 'on_failure: continue', failsOnWeb2), { transports: f.transports });
    expect(r.outcome).toBe('failed');
    expect(r.hostOutcomes).toEqual({ web1: 'ok', web2: 'failed', web3: 'ok' });
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v1', 'releases/v2']);
  });

  it('ignore: the same hosts, but the deploy counts as done', async () => {
    const f = fleet(3);
    const r = await runDeploy(plan(f, 'on_failure: ignore', failsOnWeb2), { transports: f.transports });
    expect(r.outcome).toBe('ok');
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v1', 'releases/v2']);
  });

  it('max_fail is per batch: 1 of a batch of 4 at 25 % goes on, and rollback manual leaves the host switched', async () => {
    const f = fleet(4);
    const r = await runDeploy(plan(f, 'strategy: { kind: parallel }\nmax_fail: 25%\nrollback: manual', failsOnWeb2), { transports: f.transports });
    expect(r.hostOutcomes).toEqual({ web1: 'ok', web2: 'failed', web3: 'ok', web4: 'ok' });
    expect(r.undo).toEqual([]);
    expect(f.current('web2')).toBe('releases/v2');
  });

  it('a whole batch failing stops the deploy even with max_fail 100 %', async () => {
    const f = fleet(4);
    const r = await runDeploy(plan(f, 'strategy: { kind: rolling, serial: 2 }\nmax_fail: 100%', '{ name: check, command: "false", needs: [link] }'), { transports: f.transports });
    expect(r.hostOutcomes).toEqual({ web1: 'failed', web2: 'failed', web3: 'cancelled', web4: 'cancelled' });
  });

  it('retries a flaky stage with backoff: fails twice, then succeeds', async () => {
    const f = fleet(1);
    const flaky = '{ name: flaky, command: "n=$(cat $DEPLOY_TO/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > $DEPLOY_TO/n; date +%s%N >> $DEPLOY_TO/at; [ $n -ge 3 ]", retries: 2, backoff: 100ms, needs: [link] }';
    const r = await runDeploy(plan(f, '', flaky), { transports: f.transports });
    expect(r.outcome).toBe('ok');
    const step = r.results.find((s) => s.stepId === 'b0/web1/flaky')!;
    expect(step.attempts).toBe(3);
    const at = readFileSync(join(f.base, 'web1', 'at'), 'utf8').trim().split('\n').map((n) => Number(BigInt(n) / 1_000_000n));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(100);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(200);
    expect(readFileSync(join(f.base, 'web1', 'releases', 'v2', 'marker'), 'utf8')).toBe('fetched\n');
  });
});

describe('canary analyses', () => {
  it('a canary weight gives the new servers their share beside the old ones at 100', () => {
    expect(canaryWeight(10, 2, 1)).toBe(22); // 22 / (22 + 200) = 9.9 %
    expect(canaryWeight(50, 2, 1)).toBe(200);
    expect(canaryWeight(90, 2, 1)).toBe(256); // HAProxy's largest weight
    expect(canaryWeight(30, 0, 1)).toBe(100);
  });

  // Two "LBs" answer a step's analysis; exit 3 is no data. With `host`, the canary host's own reading joins them.
  const analysisPlan = (f: DeployFleet, lb1: number, lb2: number, host?: number): Plan => {
    const p = plan(f, '', '{ name: check, command: "true", needs: [link] }');
    const step = (lb: string, rc: number) => ({ id: `b0/web1/check/${lb}-analysis-1`, hostId: 'web1', label: `analysis on ${lb}`, spec: { kind: 'command' as const, command: `exit ${rc}` }, timeoutMs: 5000, retries: 0, batch: 0 });
    const steps = [step('lb1', lb1), step('lb2', lb2), ...(host === undefined ? [] : [step('web1-host', host)])];
    const places = (p.args.deploy as DeployMeta).places;
    for (const s of steps) places[s.id] = { batch: 0, target: 'web1', stage: 'check', analysis: 'analysis-1', ...(s.id.includes('-host-') ? { veto: true as const } : {}) };
    return { ...p, steps: [...p.steps.filter((s) => !s.id.includes('/check')), ...steps] };
  };

  it("a canary host's own reading fails the step, but neither passes nor pauses it", async () => {
    const f = fleet(1);
    const over = await runDeploy(analysisPlan(f, 0, 0, 1), { transports: f.transports });
    expect(over.outcome).toBe('failed');
    expect(over.undo.map((u) => u.stepId)).toEqual(['undo/web1/link']);
    const g = fleet(1);
    expect((await runDeploy(analysisPlan(g, 0, 3, 0), { transports: g.transports })).outcome).toBe('ok');
    // No LB had data: the host's good reading does not make it a pass; the deploy pauses, nothing rolled back.
    const h = fleet(1);
    const paused = await runDeploy(analysisPlan(h, 3, 3, 0), { transports: h.transports });
    expect(paused.outcome).toBe('failed');
    expect(paused.undo).toEqual([]);
    expect(h.current('web1')).toBe('releases/v2');
  });

  it('passes when one LB saw traffic and the other had none, fails when one failed, pauses (no rollback) when none had data', async () => {
    const f = fleet(1);
    expect((await runDeploy(analysisPlan(f, 0, 3), { transports: f.transports })).outcome).toBe('ok');
    const failed = await runDeploy(analysisPlan(fleet(1), 3, 1), { transports: f.transports });
    expect(failed.outcome).toBe('failed');
    expect(failed.undo.map((u) => u.stepId)).toEqual(['undo/web1/link']);
    const g = fleet(1);
    const paused = await runDeploy(analysisPlan(g, 3, 3), { transports: g.transports });
    expect(paused.outcome).toBe('failed');
    expect(paused.undo).toEqual([]);
    expect(g.current('web1')).toBe('releases/v2');
  });
});
