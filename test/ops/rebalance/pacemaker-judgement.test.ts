// The scheduler's verdict on a set of rebalance moves, from the prediction
// script's real output (captured with the lab cluster's CIB: crm_simulate
// 2.1.5 with --show-scores) and crm_mon of the same CIB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeMoveSet, parseAllocations } from '../../../src/ops/rebalance/pacemaker-judgement.js';
import type { PacemakerMove } from '../../../src/ops/rebalance/pacemaker-moves.js';
import { parseCrmMonXml } from '../../../src/probes/pacemaker-xml.js';
import type { PacemakerSnapshot } from '../../../src/probes/pacemaker.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/pacemaker/rebalance', name), 'utf8');
const snap = (name: string): PacemakerSnapshot => ({ ...parseCrmMonXml(fixture(name)), constraints: { kind: 'read', list: [] } });
const move = (after: string): PacemakerMove => ({ resource: 'web-group', before: 'node1', after, fromHost: 'web1', toHost: after.replace('node', 'web') });

describe('judgeMoveSet', () => {
  it('accepts a set the scheduler carries out: web-group lands on node2, nothing stops', () => {
    const v = judgeMoveSet(snap('crm-mon-healthy.xml'), [move('node2')], fixture('set-accepted.out'));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.prediction.after['web-vip']).toEqual(['node2']);
  });

  it('refuses a move against a -INFINITY colocation with the scheduler\'s own scores', () => {
    const v = judgeMoveSet(snap('crm-mon-ping-on-node3.xml'), [move('node3')], fixture('set-colocation-rejected.out'));
    expect(v).toEqual({
      ok: false,
      reason: "Pacemaker's scheduler rejects the moves (crm_simulate on the live CIB with them applied): web-group would run on node1, not node3: web-vip allocation score on node3: -INFINITY (pcmk__primitive_assign); web-server allocation score on node3: -INFINITY (pcmk__primitive_assign)",
    });
  });

  it('refuses with the tool\'s words when crm_resource cannot apply a move to the copy', () => {
    const v = judgeMoveSet(snap('crm-mon-healthy.xml'), [move('node9')], fixture('set-unknown-node.out'));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(/the change on a copy of the CIB exited 105: .*Node 'node9' not found/);
  });

  it('reads the allocation scores; bad XML gives none instead of throwing', () => {
    const all = parseAllocations(fixture('set-colocation-rejected.out').split('\n').slice(1).join('\n').split('@@baton:stderr')[0]!);
    expect(all).toContainEqual({ fn: 'pcmk__primitive_assign', id: 'web-vip', node: 'node3', score: '-INFINITY' });
    expect(parseAllocations('<pacemaker-result><allocations>')).toEqual([]);
  });
});
