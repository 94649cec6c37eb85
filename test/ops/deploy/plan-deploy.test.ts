import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { hostAnalysisCommand } from '../../../src/ops/deploy/deploy-commands.js';
import { parseDeploy } from '../../../src/ops/deploy/load-deploy.js';
import { planDeploy, type DeployFacts, type DeployMeta } from '../../../src/ops/deploy/plan-deploy.js';
import { batchFailed, batchSizes, resolveAmount } from '../../../src/ops/deploy/serial-batches.js';
import { hostSpec } from '../../store/fixtures.js';

const amount = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`));

describe('batches', () => {
  it('follow serial, never exceed max_unavailable, and hold every target exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(amount, { minLength: 1, maxLength: 4 }), fc.option(amount, { nil: undefined }), (total, serial, maxUnavailable) => {
        const sizes = batchSizes({ kind: 'rolling', serial }, total, maxUnavailable);
        const cap = maxUnavailable === undefined ? total : resolveAmount(maxUnavailable, total);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
        let left = total;
        sizes.forEach((size, i) => {
          expect(size).toBe(Math.min(left, cap, resolveAmount(serial[Math.min(i, serial.length - 1)]!, total)));
          expect(size).toBeLessThanOrEqual(cap);
          left -= size;
        });
      }),
    );
  });

  it('parallel is one batch, sequential one host at a time', () => {
    expect(batchSizes({ kind: 'parallel', serial: 1 }, 5)).toEqual([5]);
    expect(batchSizes({ kind: 'sequential', serial: 3 }, 3)).toEqual([1, 1, 1]);
    expect(batchSizes({ kind: 'rolling', serial: [1, '25%', '100%'] }, 8)).toEqual([1, 2, 5]);
  });

  it('max_fail is per batch, and a wholly failed batch stops even at 100 %', () => {
    expect(batchFailed(1, 4, '25%')).toBe(false);
    expect(batchFailed(2, 4, '25%')).toBe(true);
    expect(batchFailed(1, 4, 1)).toBe(false);
    expect(batchFailed(1, 4, undefined)).toBe(true);
    expect(batchFailed(4, 4, '100%')).toBe(true);
    expect(batchFailed(0, 4, undefined)).toBe(false);
  });
});

const file = `name: web
targets: group=web
release: { version: v2, fetch: "true" }
deploy_to: "\${vars.deploy_root}"
strategy: { kind: rolling, serial: 1 }
gates: { health: { url: "http://{address}:8080/health" } }
stages:
  - { name: drain, builtin: lb-drain }
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch, drain] }
  - { name: restart, command: "$DEPLOY_TO/bin/app-restart", needs: [link], rollback: "$DEPLOY_TO/bin/app-restart" }
  - { name: health, builtin: health, needs: [restart] }
  - { name: ready, builtin: lb-ready, needs: [health] }
`;

function lab(ids: string[]): Inventory {
  const hosts = ids.map((id, i) => hostSpec(id, { address: `127.0.3.${i + 1}`, vars: { deploy_root: '/srv/baton' } }));
  hosts.push(hostSpec('lb1', { roles: { haproxy: { tcp: '127.0.3.6:9999' } } }));
  return { name: 'lab', format: 'baton', file: 'lab.yaml', hosts, groups: {} };
}

describe('the deploy planner', () => {
  const load = parseDeploy('web.yaml', file);
  if (!load.ok) throw new Error(load.errors.map((e) => e.message).join('\n'));
  const ids = ['web1', 'web2', 'web3'];
  const facts: DeployFacts = {
    current: Object.fromEntries(ids.map((t) => [t, { release: 'v1' }])),
    lbServers: Object.fromEntries(ids.map((t) => [t, [{ lb: 'lb1', backend: 'web', server: t }]])),
    lbBackends: {},
    lbProblems: [],
  };
  const plan = planDeploy({ spec: load.deploy, file: 'web.yaml', order: load.order, version: 'v2', targets: ids }, facts, lab(ids), 0, () => 'ID');
  if ('refused' in plan) throw new Error(plan.reason);
  const meta = plan.args.deploy as DeployMeta;

  it('plans one host per batch, each through the stages in DAG order, where each runs', () => {
    expect(meta.batches).toEqual([['web1'], ['web2'], ['web3']]);
    const web2 = plan.steps.filter((s) => meta.places[s.id]!.target === 'web2');
    expect(web2.map((s) => [meta.places[s.id]!.stage, s.hostId, s.batch])).toEqual([
      ['drain', 'lb1', 1],
      ['fetch', 'web2', 1],
      ['link', 'web2', 1],
      ['restart', 'web2', 1],
      ['health', '@local', 1],
      ['ready', 'lb1', 1],
      ['prune', 'web2', 1],
    ]);
    expect(web2[0]!.spec).toMatchObject({ command: expect.stringContaining('set server web/web2 state drain') });
    expect(web2[2]!.spec).toMatchObject({ command: expect.stringContaining("ln -sfn releases/v2 .current.baton-ID && mv -T .current.baton-ID current") });
    expect(web2[4]!.label).toBe('health http://127.0.3.2:8080/health');
  });

  it('locks every target and each LB server, and undoes by switching current back', () => {
    expect(plan.locks).toEqual(['host:web1', 'host:web2', 'host:web3', 'haproxy:lb1:web/web1', 'haproxy:lb1:web/web2', 'haproxy:lb1:web/web3']);
    const undo = plan.undo.filter((u) => u.id.startsWith('undo/web1/'));
    expect(undo.map((u) => u.label)).toEqual(['current -> releases/v1', 'rollback restart: $DEPLOY_TO/bin/app-restart', 'ready web/web1 on lb1']);
  });

  it('refuses a host without the deploy root var', () => {
    const inv = lab(ids);
    inv.hosts[0]!.vars = {};
    expect(planDeploy({ spec: load.deploy, file: 'web.yaml', order: load.order, version: 'v2', targets: ids }, facts, inv, 0, () => 'ID')).toMatchObject({ refused: true, reason: expect.stringContaining('deploy_root') });
  });
});

describe('a canary analysis with the hosts own limits (max_cpu_percent, max_mem_percent)', () => {
  const canary = file.replace('strategy: { kind: rolling, serial: 1 }', 'strategy: { kind: canary, serial: 1, steps: [10, 100], pause: 2s }').replace('gates: { health: { url: "http://{address}:8080/health" } }', 'gates: { health: { url: "http://{address}:8080/health" }, analysis: { max_cpu_percent: 90, max_mem_percent: 95 } }');
  const load = parseDeploy('web.yaml', canary);
  if (!load.ok) throw new Error(load.errors.map((e) => e.message).join('\n'));
  const ids = ['web1', 'web2', 'web3'];
  const facts: DeployFacts = {
    current: Object.fromEntries(ids.map((t) => [t, { release: 'v1' }])),
    lbServers: Object.fromEntries(ids.map((t) => [t, [{ lb: 'lb1', backend: 'web', server: t }]])),
    lbBackends: { lb1: { web: ids.map((server) => ({ server, weight: 1 })) } },
    lbProblems: [],
  };
  const plan = planDeploy({ spec: load.deploy, file: 'web.yaml', order: load.order, version: 'v2', targets: ids }, facts, lab(ids), 0, () => 'ID');
  if ('refused' in plan) throw new Error(plan.reason);
  const meta = plan.args.deploy as DeployMeta;

  it("reads the canary host's cpu and memory on it over the pause, in the LB analysis's group, as a veto", () => {
    const group = plan.steps.filter((s) => meta.places[s.id]!.analysis === 'analysis-1');
    expect(group.map((s) => [s.hostId, meta.places[s.id]!.veto ?? false])).toEqual([
      ['lb1', false],
      ['web1', true],
    ]);
    const reading = group[1]!;
    expect(reading.label).toBe("web1's cpu and memory over 2 s");
    expect(reading.spec).toMatchObject({ command: expect.stringContaining('-gt 90 ]') });
    // Contiguous: the runner takes a group's steps together.
    const at = plan.steps.indexOf(group[0]!);
    expect(plan.steps[at + 1]).toBe(reading);
  });

  it("with max_backlog_growth, each Redis broker's backlog joins the group once", () => {
    const withBacklog = parseDeploy('web.yaml', canary.replace('max_mem_percent: 95 }', 'max_mem_percent: 95, max_backlog_growth: 100 }'));
    if (!withBacklog.ok) throw new Error(withBacklog.errors.map((e) => e.message).join('\n'));
    const inv = lab(ids);
    inv.hosts.push(hostSpec('mq1', { roles: { redis: { lists: ['jobs'] } } }), hostSpec('mq2', { roles: { redis: {} } }));
    const p = planDeploy({ spec: withBacklog.deploy, file: 'web.yaml', order: withBacklog.order, version: 'v2', targets: ids }, facts, inv, 0, () => 'ID');
    if ('refused' in p) throw new Error(p.reason);
    const m = p.args.deploy as DeployMeta;
    const group = p.steps.filter((s) => m.places[s.id]!.analysis === 'analysis-1');
    expect(group.map((s) => s.hostId)).toEqual(['lb1', 'web1', 'mq1']);
    expect(group[2]!.label).toBe("mq1's queue backlog over 2 s");
  });

  it("the reading itself, run for real: within the limits it passes and says what it saw; a limit under what the host uses fails naming it", () => {
    const run = (limits: { max_cpu_percent?: number; max_mem_percent?: number }) => spawnSync('sh', ['-c', hostAnalysisCommand('web1', 200, { max_error_percent: 1, min_requests: 10, ...limits })], { encoding: 'utf8' });
    const fine = run({ max_cpu_percent: 100, max_mem_percent: 100 });
    expect(fine.status).toBe(0);
    expect(fine.stdout).toMatch(/^web1: cpu \d+ %, memory \d+ % over 0\.2 s$/m);
    const tight = run({ max_mem_percent: 0 });
    expect(tight.status).toBe(1);
    expect(tight.stderr).toMatch(/^web1: memory \d+ % over 0 %$/m);
  });
});
