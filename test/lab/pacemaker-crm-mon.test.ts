// The lab's reading of crm_mon, on the real outputs captured by
// test/fixtures/pacemaker/capture.sh; and how fault outcomes are worded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCrmMon } from '../../src/lab/pacemaker/crm-mon.js';
import { describeMoves, whereRuns } from '../../src/lab/pacemaker/outcome.js';
import { parseXml } from '../../src/probes/xml-tree.js';

const fixture = (name: string) => parseCrmMon(readFileSync(new URL(`../fixtures/pacemaker/${name}.xml`, import.meta.url), 'utf8'));

describe('crm_mon XML as the lab reads it', () => {
  it('healthy: 3 online nodes, DC, quorum, every resource placed', () => {
    const v = fixture('healthy');
    expect(v.nodes.map((n) => `${n.name}:${n.online}`)).toEqual(['node1:true', 'node2:true', 'node3:true']);
    expect([v.dc, v.quorum]).toEqual(['node1', true]);
    expect(Object.fromEntries(v.placement)).toEqual({ 'web-group': ['node1'], 'ping-clone': ['node1', 'node2', 'node3'] });
    expect(v.failures).toEqual([]);
  });

  it('node failed, quorum lost, standby', () => {
    const failed = fixture('node-failed');
    expect(failed.nodes.find((n) => n.name === 'node1')?.online).toBe(false);
    expect([failed.dc, failed.placement.get('web-group')]).toEqual(['node2', ['node2']]);
    const lost = fixture('quorum-lost');
    expect([lost.quorum, lost.placement.get('web-group'), lost.placement.get('ping-clone')]).toEqual([false, [], []]);
    const standby = fixture('node-standby');
    expect(standby.nodes.find((n) => n.name === 'node1')).toMatchObject({ online: true, standby: true });
    expect(standby.placement.get('ping-clone')).toEqual(['node2', 'node3']);
  });

  it('resource failed: the failed action and its fail count', () => {
    const v = fixture('resource-failed');
    expect(v.failures).toEqual([{ resource: 'web-server', node: 'node1', opKey: 'web-server_monitor_10000', exitCode: '7' }]);
    expect(Object.fromEntries(v.failCounts)).toEqual({ 'web-server@node1': 1 });
    expect(v.placement.get('web-group')).toEqual(['node2']);
  });

  it('words moves, stops and starts', () => {
    const before = fixture('healthy');
    expect(describeMoves(before, fixture('resource-moved'))).toBe('web-group moved from node1 to node3');
    expect(describeMoves(before, fixture('node-standby'))).toBe('web-group moved from node1 to node2; ping-clone stopped on node1');
    expect(describeMoves(fixture('node-failed'), fixture('quorum-lost'))).toBe('web-group stopped (was on node2); ping-clone stopped (was on node2, node3)');
    expect(describeMoves(before, before)).toBeUndefined();
    expect(whereRuns(fixture('quorum-lost'), 'web-group')).toBe('web-group stopped');
  });

  it('rejects XML whose tags do not nest (a half-written file)', () => {
    expect(() => parseXml('<cib epoch="1"><configuration>')).toThrow(/XML not well-formed at line 1/);
    expect(() => parseXml('')).toThrow(/no XML element/);
    expect(parseXml('<a x="&lt;3.15&amp;"><!-- <b> --><c/></a>')).toEqual({ name: 'a', attrs: { x: '<3.15&' }, text: '', children: [{ name: 'c', attrs: {}, text: '', children: [] }] });
  });
});
