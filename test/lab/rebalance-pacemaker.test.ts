// The Pacemaker levers of rebalance on the lab, end to end with the built
// CLI: `lab load` overloads the host whose node runs web-group; the plan
// moves web-group to the node on the least loaded host, checked by the
// scheduler; run, verified with crm_mon, rolled back (the constraint
// cleared). A move against a -INFINITY colocation is refused before any
// confirmation with the scheduler's scores. Stale cli constraints (a node
// that is gone, one made by baton older than the threshold) are removed,
// one made by hand (age unknown) is kept.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlacementState } from '../../src/ops/rebalance/placement-balanced.js';
import { parsePacemakerProbe, PACEMAKER_PROBE_COMMAND, type PacemakerSnapshot } from '../../src/probes/pacemaker.js';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
const state = mkdtempSync(join(tmpdir(), 'baton-rebalance-pcmk-state-'));
const NODE_HOST: Record<string, string> = { node1: 'web1', node2: 'web2', node3: 'web3' };

beforeAll(async () => {
  lab = await startTestLab();
}, 120_000);
afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

const baton = (...args: string[]) => spawnSync(process.execPath, [BATON_CLI, ...args, '-i', lab.files.inventory, '--json'], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, XDG_STATE_HOME: state } });
const rebalance = (...args: string[]) => baton('act', 'rebalance', ...args);

function sh(command: string): string {
  const r = lab.ssh('web2', command);
  expect(r.status, `${command}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

function crmMon(): PacemakerSnapshot {
  const parsed = parsePacemakerProbe(lab.ssh('web2', PACEMAKER_PROBE_COMMAND).stdout);
  if (parsed.kind !== 'snapshot') throw new Error(parsed.message);
  return parsed.snapshot;
}
const groupNode = () => [...new Set(crmMon().resources.filter((r) => r.group === 'web-group').flatMap((r) => r.nodes))];
const cliIds = () => {
  const c = crmMon().constraints;
  return c.kind === 'read' ? c.list.map((x) => x.id).sort() : ['unreadable'];
};

function loads(values: Record<string, number>): void {
  for (const [host, load] of Object.entries({ db1: 30, mq1: 30, lb1: 30, lb2: 30, ...values })) {
    const r = lab.baton('load', host, String(load));
    expect(r.code, r.stderr).toBe(0);
  }
}

describe('rebalance --lever pacemaker on the lab cluster', () => {
  it('moves web-group off the overloaded host to the least loaded one: plan, run, crm_mon, rollback clears the constraint', () => {
    const [from] = groupNode();
    expect(from).toBeDefined();
    const [to, other] = Object.keys(NODE_HOST).filter((n) => n !== from);
    loads({ [NODE_HOST[from!]!]: 95, [NODE_HOST[to!]!]: 10, [NODE_HOST[other!]!]: 30 });

    const planned = rebalance('--lever', 'pacemaker', '--plan');
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { title: string; args: { pacemaker: { changes: unknown[] } }; changes: { target: string; what: string; before: string; after: string }[]; undo: { spec: { command: string } }[] };
    expect(plan.args.pacemaker.changes).toEqual([{ resource: 'web-group', before: from, after: to, fromHost: NODE_HOST[from!], toHost: NODE_HOST[to!] }]);
    expect(plan.changes).toContainEqual({ target: 'web-vip', what: 'runs on (scheduler prediction)', before: from, after: to });
    expect(plan.undo[0]!.spec.command).toBe(`crm_resource --clear --resource=web-group --node=${to}`);

    const run = rebalance('--lever', 'pacemaker', '--yes');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; state: string; verify: string };
    expect(result.state, result.verify).toBe('ok');
    expect(result.verify).toMatch(new RegExp(`pacemaker: baton-lab: web-group runs on ${to}; cli-prefer-web-group in place \\(crm_mon on web\\d, [\\d.]+ s\\)`));
    expect(groupNode()).toEqual([to]);
    expect(cliIds()).toEqual(['cli-prefer-web-group']);

    // rollback prints the run rolled back (exit 0: undone and verified, as asked).
    const back = JSON.parse(baton('rollback', result.id).stdout) as { state: string; undo: { host: string; rc: number; state: string }[] };
    expect(back.state).toBe('rolled-back');
    expect(back.undo).toMatchObject([{ rc: 0, state: 'ok' }]);
    expect(cliIds()).toEqual([]);
    expect(groupNode()).toEqual([to]); // stickiness keeps it there
  }, 120_000);

  it('refuses, before any confirmation, a move the scheduler rejects (a -INFINITY colocation it cannot see), with the scores', () => {
    const [from] = groupNode();
    const [to, other] = Object.keys(NODE_HOST).filter((n) => n !== from);
    loads({ [NODE_HOST[from!]!]: 95, [NODE_HOST[to!]!]: 10, [NODE_HOST[other!]!]: 30 });
    // ping runs only on `to`, and web-group may never run where ping runs.
    sh(`crm_resource --ban --resource=ping-clone --node=${from} && crm_resource --ban --resource=ping-clone --node=${other}`);
    sh(`cibadmin --create --scope constraints --xml-text '<rsc_colocation id="web-away-from-ping" rsc="web-group" with-rsc="ping-clone" score="-INFINITY"/>'`);
    try {
      const refused = rebalance('--lever', 'pacemaker', '--yes');
      expect(refused.status).toBe(3);
      const out = JSON.parse(refused.stdout) as { refused: boolean; reason: string };
      expect(out.reason).toMatch(new RegExp(`Pacemaker's scheduler rejects the moves .*web-group would run on ${from}, not ${to}: web-vip allocation score on ${to}: -INFINITY`));
      expect(groupNode()).toEqual([from]);
    } finally {
      sh(`cibadmin --delete --scope constraints --xml-text '<rsc_colocation id="web-away-from-ping"/>' && crm_resource --clear --resource=ping-clone`);
    }
  }, 120_000);

  it('pacemaker-stale removes a constraint on a node that is gone and one baton made over the threshold ago; keeps one made by hand', () => {
    const [at] = groupNode();
    const away = Object.keys(NODE_HOST).find((n) => n !== at)!;
    const ban = baton('act', 'pacemaker.ban', 'web-group', away, '--yes');
    expect(ban.status, ban.stderr).toBe(0);
    sh(`cibadmin --create --scope constraints --xml-text '<rsc_location id="cli-ban-web-group-on-node4" rsc="web-group" node="node4" score="-INFINITY"/>'`);
    sh(`crm_resource --ban --resource=ping-clone --node=${away}`);

    const planned = rebalance('--lever', 'pacemaker-stale', '--stale-hours', '0', '--plan');
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { changes: { target: string; what: string; before: string; after: string }[]; preconditions: { what: string; detail: string }[] };
    expect(plan.changes.map((c) => c.target).sort()).toEqual([`cli-ban-web-group-on-${away}`, 'cli-ban-web-group-on-node4']);
    expect(plan.changes.find((c) => c.target === `cli-ban-web-group-on-${away}`)).toMatchObject({ what: expect.stringMatching(/^cli constraint, age \d+ min \(made by pacemaker\.ban, run \S+\)$/), after: 'removed' });
    expect(plan.changes.find((c) => c.target === 'cli-ban-web-group-on-node4')!.before).toBe('web-group banned from node4: stale, points at node4, which the cluster no longer has');
    expect(plan.preconditions.find((p) => p.what === 'baton-lab: cli constraints kept')!.detail).toMatch(new RegExp(`cli-ban-ping-clone-on-${away} \\(age unknown: not made by baton`));

    const run = rebalance('--lever', 'pacemaker-stale', '--stale-hours', '0', '--yes');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { state: string; verify: string };
    expect(result.state, result.verify).toBe('ok');
    expect(result.verify).toMatch(new RegExp(`stale constraints: baton-lab: 2 removed .*; cli constraints now: cli-ban-ping-clone-on-${away}`));
    expect(cliIds()).toEqual([`cli-ban-ping-clone-on-${away}`]);
    sh('crm_resource --clear --resource=ping-clone');
  }, 120_000);
  it('pacemaker-balanced sets placement-strategy and utilization (before -> after), the CIB shows them, rollback restores the values before', () => {
    const [at] = groupNode();
    loads({ [NODE_HOST[at!]!]: 95 });
    const before = parsePlacementState(sh('cibadmin --query --scope configuration'));
    expect(before).toMatchObject({ strategy: null, nodes: { node1: null, node2: null, node3: null } });
    const planned = rebalance('--lever', 'pacemaker-balanced', '--plan');
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { changes: { target: string; what: string; before: string; after: string }[]; locks: string[] };
    expect(plan.changes).toContainEqual({ target: 'cluster', what: 'cluster property placement-strategy', before: 'unset', after: 'balanced' });
    for (const n of Object.keys(NODE_HOST)) expect(plan.changes).toContainEqual({ target: n, what: 'node utilization load', before: 'unset', after: '100' });
    expect(plan.changes.filter((c) => c.what === 'resource utilization load').map((c) => c.target).sort()).toEqual(['web-server', 'web-vip']);
    expect(plan.locks).toEqual(['pacemaker:baton-lab']);

    const run = rebalance('--lever', 'pacemaker-balanced', '--yes');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; state: string; verify: string };
    expect(result.state, result.verify).toBe('ok');
    expect(result.verify).toMatch(/placement-strategy=balanced: baton-lab: cluster placement-strategy=balanced, node1 load=100/);
    expect(sh('crm_attribute --type=crm_config --name=placement-strategy --query --quiet').trim()).toBe('balanced');
    expect(sh('crm_attribute --type=nodes --node=node2 --utilization --name=load --query --quiet').trim()).toBe('100');

    const back = JSON.parse(baton('rollback', result.id).stdout) as { state: string };
    expect(back.state).toBe('rolled-back');
    // crm_attribute --delete leaves the emptied <utilization> element: the values are gone, as before.
    expect(parsePlacementState(sh('cibadmin --query --scope configuration'))).toEqual(before);
  }, 120_000);
});
