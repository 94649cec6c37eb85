// placement-strategy=balanced: the attributes planned from the captured lab
// CIB (crm_mon and cibadmin's configuration, one node and one primitive
// already with a utilization), and the commands run against a real CIB file:
// set, re-read, undone back to the values before.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attributeCommand, notYet, parsePlacementState, planBalanced, PLACEMENT_READ_COMMAND, type PlacementState } from '../../../src/ops/rebalance/placement-balanced.js';
import { parseCrmMonXml } from '../../../src/probes/pacemaker-xml.js';
import type { PacemakerSnapshot } from '../../../src/probes/pacemaker.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/pacemaker/rebalance', name), 'utf8');
const snap = (): PacemakerSnapshot => ({ ...parseCrmMonXml(fixture('crm-mon-healthy.xml')), constraints: { kind: 'read', list: [] } });
const nodeHosts = new Map([['node1', 'web1'], ['node2', 'web2'], ['node3', 'web3']]);
const hosts = [{ id: 'web1', load: 95, capacity: 1 }, { id: 'web2', load: 30, capacity: 1 }, { id: 'web3', load: 15, capacity: 2 }];

const state = (xml: string): PlacementState => {
  const s = parsePlacementState(xml);
  if (typeof s === 'string') throw new Error(s);
  return s;
};

describe('placement-strategy=balanced', () => {
  it('reads the configuration: the strategy, node and primitive utilization; bad output is a message', () => {
    expect(state(fixture('configuration-some-utilization.xml'))).toEqual({ strategy: null, nodes: { node1: null, node2: '100', node3: null }, resources: { 'web-vip': null, 'web-server': '47', ping: null } });
    expect(parsePlacementState('Could not connect to the CIB')).toMatch(/^cibadmin: /);
  });

  it('plans node capacity x 100, each movable resource its share of its host, only what changes', () => {
    expect(planBalanced(snap(), nodeHosts, hosts, state(fixture('configuration-some-utilization.xml')))).toEqual([
      { kind: 'property', target: 'cluster', name: 'placement-strategy', before: null, after: 'balanced' },
      { kind: 'node', target: 'node1', name: 'load', before: null, after: '100' },
      { kind: 'node', target: 'node3', name: 'load', before: null, after: '200' },
      { kind: 'resource', target: 'web-vip', name: 'load', before: null, after: '24' },
      { kind: 'resource', target: 'web-server', name: 'load', before: '47', after: '24' },
    ]);
  });

  it('sets every attribute on a real CIB file, re-reads it, and the undo gives back what was there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-balanced-'));
    const cib = join(dir, 'cib.xml');
    writeFileSync(cib, fixture('stale-cib.xml'));
    const sh = (command: string) => execFileSync('sh', ['-c', command], { env: { ...process.env, CIB_file: cib }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const before = state(sh(PLACEMENT_READ_COMMAND));
      sh(attributeCommand({ kind: 'resource', target: 'web-server', name: 'load' }, '47'));
      const start = state(sh(PLACEMENT_READ_COMMAND));
      const changes = planBalanced(snap(), nodeHosts, hosts, start);
      sh(changes.map((c) => attributeCommand(c, c.after)).join(' && '));
      expect(notYet(changes, state(sh(PLACEMENT_READ_COMMAND)))).toEqual([]);
      sh(changes.map((c) => attributeCommand(c, c.before)).join(' ; '));
      expect(state(sh(PLACEMENT_READ_COMMAND))).toEqual(start);
      expect(start).toEqual({ ...before, resources: { ...before.resources, 'web-server': '47' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
