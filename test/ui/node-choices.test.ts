// The node picker's rows from real crm_mon 2.1.5 snapshots: the nodes a
// resource cannot run on are marked with why, a move cannot pick them, and
// "no node" bans the node it runs on (refused when it runs on several).
import { describe, expect, test } from 'vitest';
import { movableResource, nodeChoices } from '../../src/ui/actions/node-choices.js';
import { pacemakerSnapshot } from './service-fixtures.js';

const NO_NODE = '(no node: ban the current one)';

describe('node picker rows', () => {
  test('healthy: where it runs is marked and cannot be a move target; no node bans it', () => {
    expect(nodeChoices(pacemakerSnapshot('healthy'), 'web-group', 'move')).toEqual([
      { node: 'node1', label: 'node1', reason: 'runs here now', blocked: true },
      { node: 'node2', label: 'node2', blocked: false },
      { node: 'node3', label: 'node3', blocked: false },
      { node: null, label: NO_NODE, reason: 'bans node1, even if it is the last node that can run web-group', blocked: false },
    ]);
  });

  test('standby, offline and a cli-ban each mark their node with the reason', () => {
    const standby = nodeChoices(pacemakerSnapshot('node-standby'), 'web-group', 'move');
    expect(standby[0]).toEqual({ node: 'node1', label: 'node1', reason: 'in standby', blocked: true });
    expect(standby[1]).toMatchObject({ node: 'node2', reason: 'runs here now', blocked: true });
    expect(standby[2]).toEqual({ node: 'node3', label: 'node3', blocked: false });
    expect(nodeChoices(pacemakerSnapshot('node-failed'), 'web-group', 'move')[0]).toEqual({ node: 'node1', label: 'node1', reason: 'offline', blocked: true });
    const banned = nodeChoices(pacemakerSnapshot('resource-banned'), 'web-group', 'move');
    expect(banned[0]).toEqual({ node: 'node1', label: 'node1', reason: 'banned (cli-ban-web-group-on-node1)', blocked: true });
    // A member of the group is bound by the group's ban too.
    expect(nodeChoices(pacemakerSnapshot('resource-banned'), 'web-vip', 'move')[0]).toMatchObject({ reason: 'banned on web-group (cli-ban-web-group-on-node1)', blocked: true });
  });

  test('a constraint that is not a cli-ban, or a finite negative score', () => {
    const s = pacemakerSnapshot('healthy');
    const withBans = { ...s, bans: [{ id: 'keep-off-node3', resource: 'web-group', node: 'node3', weight: -1_000_000, promotedOnly: false }, { id: 'rather-not-node2', resource: 'web-vip', node: 'node2', weight: -50, promotedOnly: false }] };
    const rows = nodeChoices(withBans, 'web-group', 'move');
    expect(rows[1]).toEqual({ node: 'node2', label: 'node2', reason: 'avoided on web-vip (score -50, rather-not-node2)', blocked: false });
    expect(rows[2]).toEqual({ node: 'node3', label: 'node3', reason: 'not allowed by constraint (keep-off-node3)', blocked: true });
  });

  test('ban: every node may be picked, marks only inform; no "no node" row', () => {
    const rows = nodeChoices(pacemakerSnapshot('node-standby'), 'web-group', 'ban');
    expect(rows.map((r) => [r.node, r.blocked])).toEqual([['node1', false], ['node2', false], ['node3', false]]);
    expect(rows[1]!.reason).toBe('runs here now');
  });

  test('a member moves with its group or clone; a group moves itself', () => {
    const s = pacemakerSnapshot('healthy');
    expect([movableResource(s, 'web-vip'), movableResource(s, 'web-group'), movableResource(s, 'ping')]).toEqual(['web-group', 'web-group', 'ping-clone']);
  });

  test('a clone runs on several nodes: no node cannot say which to ban', () => {
    const rows = nodeChoices(pacemakerSnapshot('healthy'), 'ping-clone', 'move');
    expect(rows.at(-1)).toEqual({ node: null, label: NO_NODE, reason: 'ping-clone runs on several (node1, node2, node3)', blocked: true });
  });
});
