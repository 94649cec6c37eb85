// The Pacemaker lever's proposer: the properties over random
// clusters (nodes online or not, in standby, bans, groups and clones) and
// loads, and fixed cases on the captured lab cluster.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FleetHost } from '../../../src/ops/rebalance/load-model.js';
import { spreadOf } from '../../../src/ops/rebalance/load-model.js';
import { mayRun, movableResources, proposeMoves } from '../../../src/ops/rebalance/pacemaker-moves.js';
import type { PacemakerNode, PacemakerResource, PacemakerSnapshot } from '../../../src/probes/pacemaker.js';

const node = (name: string, over: Partial<PacemakerNode> = {}): PacemakerNode => ({ name, id: name, state: 'online', online: true, standby: false, maintenance: false, unclean: false, isDc: false, resourcesRunning: 0, ...over });
const primitive = (id: string, on: string, over: Partial<PacemakerResource> = {}): PacemakerResource => ({ id, agent: 'ocf:pacemaker:Dummy', group: null, clone: null, role: 'Started', nodes: [on], active: true, managed: true, failed: false, blocked: false, orphaned: false, failureIgnored: false, targetRole: null, failCounts: [], migrationThreshold: null, ...over });

function snapshot(nodes: PacemakerNode[], resources: PacemakerResource[], bans: { resource: string; node: string }[] = []): PacemakerSnapshot {
  const groups = [...new Set(resources.flatMap((r) => (r.group ? [r.group] : [])))];
  const clones = [...new Set(resources.flatMap((r) => (r.clone ? [r.clone] : [])))];
  return {
    stack: 'corosync',
    dc: { present: true, name: nodes[0]?.name ?? null, version: '2.1.5' },
    withQuorum: true,
    maintenanceMode: false,
    stonithEnabled: false,
    lastUpdate: null,
    nodes,
    resources,
    collections: [...groups.map((id) => ({ id, kind: 'group' as const, managed: true, disabled: false, promotable: false })), ...clones.map((id) => ({ id, kind: 'clone' as const, managed: true, disabled: false, promotable: false }))],
    bans: bans.map((b, i) => ({ id: `ban-${i}`, resource: b.resource, node: b.node, weight: -1000000, promotedOnly: false })),
    failures: [],
    constraints: { kind: 'read', list: [] },
  };
}

const cluster = fc
  .record({
    nodes: fc.array(fc.record({ load: fc.double({ min: 0, max: 100, noNaN: true }), capacity: fc.constantFrom(0.5, 1, 2, 4), online: fc.boolean(), standby: fc.boolean() }), { minLength: 2, maxLength: 8 }),
    resources: fc.array(fc.record({ on: fc.nat(), grouped: fc.boolean(), cloned: fc.boolean() }), { maxLength: 12 }),
    bans: fc.array(fc.record({ resource: fc.nat(), node: fc.nat() }), { maxLength: 10 }),
    extraHosts: fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 4 }),
    band: fc.integer({ min: 1, max: 30 }),
  })
  .map((c) => {
    const names = c.nodes.map((_, i) => `n${i}`);
    const nodes = c.nodes.map((n, i) => node(names[i]!, { online: n.online, standby: n.standby }));
    const resources = c.resources.map((r, i) => primitive(`r${i}`, names[r.on % names.length]!, { group: r.grouped && !r.cloned ? `g${r.on % names.length}` : null, clone: r.cloned ? 'ping-clone' : null }));
    const bans = c.bans.map((b) => ({ resource: `r${b.resource % Math.max(1, resources.length)}`, node: names[b.node % names.length]! }));
    const hosts: FleetHost[] = [...c.nodes.map((n, i) => ({ id: `h${i}`, load: n.load, capacity: n.capacity })), ...c.extraHosts.map((load, i) => ({ id: `x${i}`, load, capacity: 1 }))];
    return { snap: snapshot(nodes, resources, bans), nodeHosts: new Map(names.map((n, i) => [n, `h${i}`])), hosts, band: c.band };
  });

describe('proposeMoves (properties)', () => {
  it('never moves to a banned, offline or standby node, nor one whose host is over the band; never widens the spread; deterministic', () => {
    fc.assert(
      fc.property(cluster, ({ snap, nodeHosts, hosts, band }) => {
        const plan = proposeMoves(snap, nodeHosts, hosts, band);
        for (const m of plan.moves) {
          const to = snap.nodes.find((n) => n.name === m.after)!;
          expect(to.online && !to.standby).toBe(true);
          expect(mayRun(snap, m.resource, m.after)).toBe(true);
          const members = snap.resources.filter((r) => r.id === m.resource || r.group === m.resource).map((r) => r.id);
          expect(snap.bans.some((b) => b.node === m.after && [m.resource, ...members].includes(b.resource))).toBe(false);
          expect(m.before).not.toBe(m.after);
        }
        expect(spreadOf(hosts, plan.loadsAfter).spread).toBeLessThanOrEqual(spreadOf(hosts, plan.loadsBefore).spread + 1e-9);
        expect(proposeMoves(snap, nodeHosts, hosts, band)).toEqual(plan);
        expect(new Set(plan.moves.map((m) => m.resource)).size).toBe(plan.moves.length);
      }),
      { numRuns: 400 },
    );
  });

  it('never moves a clone instance or a group member on its own', () => {
    fc.assert(
      fc.property(cluster, ({ snap, nodeHosts, hosts, band }) => {
        for (const m of proposeMoves(snap, nodeHosts, hosts, band).moves) {
          expect(snap.resources.some((r) => r.id === m.resource && (r.clone !== null || r.group !== null))).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('proposeMoves (fixed cases)', () => {
  const lab = () => snapshot([node('node1'), node('node2'), node('node3')], [primitive('web-vip', 'node1', { group: 'web-group' }), primitive('web-server', 'node1', { group: 'web-group' }), ...['node1', 'node2', 'node3'].map((n) => primitive('ping', n, { clone: 'ping-clone' }))]);
  const nodeHosts = new Map([['node1', 'web1'], ['node2', 'web2'], ['node3', 'web3']]);
  const hosts = (web1: number, web2: number, web3: number): FleetHost[] => [
    { id: 'web1', load: web1, capacity: 1 },
    { id: 'web2', load: web2, capacity: 1 },
    { id: 'web3', load: web3, capacity: 1 },
    { id: 'db1', load: 30, capacity: 1 },
  ];

  it('moves web-group off the overloaded node to the least loaded one; the clone stays', () => {
    expect(movableResources(lab())).toEqual([{ id: 'web-group', node: 'node1' }]);
    const plan = proposeMoves(lab(), nodeHosts, hosts(95, 30, 15), 10);
    expect(plan.moves).toEqual([{ resource: 'web-group', before: 'node1', after: 'node3', fromHost: 'web1', toHost: 'web3' }]);
    expect(plan.loadsAfter.map(Math.round)).toEqual([48, 30, 63, 30]);
  });

  it('skips a node with a ban on a group member, in standby, or offline', () => {
    const s = lab();
    s.bans.push({ id: 'cli-ban-web-server-on-node3', resource: 'web-server', node: 'node3', weight: -1000000, promotedOnly: false });
    expect(proposeMoves(s, nodeHosts, hosts(95, 30, 15), 10).moves[0]?.after).toBe('node2');
    s.nodes[1] = node('node2', { standby: true });
    expect(proposeMoves(s, nodeHosts, hosts(95, 30, 15), 10).moves).toEqual([]);
  });

  it('moves nothing when every host is within the band, or when no move narrows the spread', () => {
    expect(proposeMoves(lab(), nodeHosts, hosts(40, 35, 30), 10).moves).toEqual([]);
    // web1 is over, but the only other node is as loaded: a move would widen the spread.
    const two = snapshot([node('node1'), node('node2')], [primitive('vip', 'node1')]);
    expect(proposeMoves(two, nodeHosts, [{ id: 'web1', load: 90, capacity: 1 }, { id: 'web2', load: 88, capacity: 1 }, { id: 'db1', load: 10, capacity: 1 }], 10).moves).toEqual([]);
  });
});
