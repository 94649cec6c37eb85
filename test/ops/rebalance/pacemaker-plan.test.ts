// The rebalance planner with the Pacemaker levers, from captured crm_mon,
// cibadmin and crm_simulate output (test/fixtures/pacemaker/rebalance): the
// JSON plan's moves, steps, undo and locks; a set the scheduler rejects is a
// refusal with its scores; stale constraints plan inside the band.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { newActionId, type Plan } from '../../../src/ops/engine/plan.js';
import type { Refusal } from '../../../src/ops/engine/registry.js';
import type { PacemakerClusterFacts } from '../../../src/ops/rebalance/pacemaker-lever.js';
import { parseRebalanceArgs } from '../../../src/ops/rebalance/rebalance-args.js';
import { planRebalance, type RebalanceFacts, type RebalancePlanArgs } from '../../../src/ops/rebalance/rebalance-plan.js';
import { parseCliConstraints, parseCrmMonXml } from '../../../src/probes/pacemaker-xml.js';
import type { PacemakerSnapshot } from '../../../src/probes/pacemaker.js';
import { createBatonStore } from '../../../src/store/store.js';
import { localHost } from '../failover/failover-harness.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/pacemaker/rebalance', name), 'utf8');
const snap = (crmMon: string, constraints = '<constraints/>'): PacemakerSnapshot => ({ ...parseCrmMonXml(fixture(crmMon)), constraints: { kind: 'read', list: parseCliConstraints(constraints) } });
const inventory: Inventory = { name: 'lab', format: 'baton', file: 'lab.yaml', hosts: ['web1', 'web2', 'web3'].map((id, i) => localHost(id, { pacemaker: { cluster: 'baton-lab', node: `node${i + 1}` } })), groups: {} };
const NOW = Date.parse('2026-12-03T22:51:56Z');

function plan(loads: Record<string, number>, cluster: Omit<PacemakerClusterFacts, 'cluster' | 'candidates'>, options: Record<string, unknown>): Plan | Refusal {
  const facts: RebalanceFacts = {
    loads: { hosts: Object.entries(loads).map(([id, load]) => ({ id, load, capacity: 1 })), unknown: [] },
    pacemaker: { clusters: [{ cluster: 'baton-lab', candidates: ['web1', 'web2', 'web3'], ...cluster }], runs: [] },
  };
  return planRebalance({ state: createBatonStore(inventory).getState(), inventory, now: NOW, who: { user: 'ops', host: 't', pid: 1 }, newId: () => newActionId(NOW), facts }, parseRebalanceArgs([], options));
}
const planned = (p: Plan | Refusal): Plan => {
  if ('refused' in p) throw new Error(p.reason);
  return p;
};
const move = (after: string) => ({ resource: 'web-group', before: 'node1', after, fromHost: 'web1', toHost: `web${after.slice(-1)}` });

describe('rebalance with the Pacemaker levers', () => {
  it('plans the move the scheduler accepts: args.pacemaker.changes, one pinned step, undo clears, a lock per resource', () => {
    const p = planned(plan({ web1: 95, web2: 10, web3: 30 }, { read: { ok: true, host: 'web2', snapshot: snap('crm-mon-healthy.xml') }, asked: { moves: [move('node2')], output: fixture('set-accepted.out') } }, { lever: 'pacemaker' }));
    const args = p.args as unknown as RebalancePlanArgs;
    expect(args.pacemaker!.changes).toEqual([move('node2')]);
    expect(p.steps.map((s) => [s.hostId, s.spec.kind === 'command' && s.spec.command])).toEqual([['web2', 'crm_resource --move --resource=web-group --node=node2']]);
    expect(p.undo.map((s) => s.spec.kind === 'command' && s.spec.command)).toEqual(['crm_resource --clear --resource=web-group --node=node2']);
    expect(p.locks).toEqual(['pacemaker:baton-lab:resource:web-group']);
    expect(p.changes).toContainEqual({ target: 'web-server', what: 'runs on (scheduler prediction)', before: 'node1', after: 'node2' });
    expect(p.title).toMatch(/1 Pacemaker move \(web-group node1 → node2\), checked by the scheduler; spread \d+ → \d+ points/);
    expect(args.forecast.spread.after).toBeLessThan(args.forecast.spread.before);
  });

  it('refuses the whole plan with the scheduler\'s scores when it rejects the set, and when asked about other moves', () => {
    const read = { ok: true as const, host: 'web2', snapshot: snap('crm-mon-ping-on-node3.xml') };
    const refused = plan({ web1: 95, web2: 30, web3: 10 }, { read, asked: { moves: [move('node3')], output: fixture('set-colocation-rejected.out') } }, { lever: 'pacemaker' });
    expect(refused).toMatchObject({ refused: true, reason: expect.stringMatching(/^cluster baton-lab: Pacemaker's scheduler rejects the moves .*web-vip allocation score on node3: -INFINITY/) });
    const stale = plan({ web1: 95, web2: 30, web3: 10 }, { read, asked: { moves: [move('node2')], output: fixture('set-accepted.out') } }, { lever: 'pacemaker' });
    expect(stale).toMatchObject({ refused: true, hint: 'plan again' });
  });

  it('pacemaker and pacemaker-balanced together are a usage error: two answers to the same load', () => {
    expect(() => parseRebalanceArgs([], { lever: ['pacemaker', 'pacemaker-balanced'] })).toThrow(/two answers to the same load, pick one/);
  });

  it('pacemaker-stale plans inside the band: a ban on a node that is gone, a lifetime that ended', () => {
    const read = { ok: true as const, host: 'web1', snapshot: snap('crm-mon-stale.xml', fixture('stale-constraints.xml')) };
    const p = planned(plan({ web1: 30, web2: 30, web3: 30 }, { read }, { lever: 'pacemaker-stale' }));
    expect(p.changes.map((c) => [c.target, c.after])).toEqual([['cli-prefer-web-group', 'removed'], ['cli-ban-web-group-on-node4', 'removed']]);
    expect(p.undo).toEqual([]);
    expect(p.preconditions).toContainEqual({ what: 'baton-lab: cli constraints kept', ok: true, detail: expect.stringMatching(/^cli-ban-ping-clone-on-node3 \(age unknown/) });
  });
});
