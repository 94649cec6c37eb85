// The scheduler's prediction as crm_simulate 2.1.5 writes it (captured by
// test/fixtures/pacemaker/capture-predictions.sh), checked against the text
// summary crm_simulate prints for the same change.
import { describe, expect, it } from 'vitest';
import { describeAction, parsePredictionOutput, parseSimulation, type Prediction } from '../../../../src/ops/failover/pacemaker/scheduler-prediction.js';
import { placementChanges, stoppedEverywhere } from '../../../../src/ops/failover/pacemaker/pacemaker-plan.js';
import { prediction } from './pacemaker-fixtures.js';

function parsed(name: string): Prediction {
  const r = parseSimulation(prediction(`${name}.xml`));
  if (!r.ok) throw new Error(r.error);
  return r.prediction;
}

/** crm_simulate's own Transition Summary lines, spacing collapsed. */
const textSummary = (name: string) =>
  prediction(`${name}.txt`)
    .split('\n')
    .filter((l) => l.startsWith('  * '))
    .map((l) => l.slice(4).replace(/\s+/g, ' ').replace('( ', '( ').trim());

describe('crm_simulate --output-as=xml', () => {
  it.each(['move-web-group', 'standby-node1', 'disable-web-group', 'stop-clone', 'ban-everywhere', 'no-change'])('%s: the actions say what the text summary says', (name) => {
    expect(parsed(name).actions.map(describeAction)).toEqual(textSummary(name));
  });

  it('a move: both primitives of the group from node1 to node3, placement before -> after', () => {
    const p = parsed('move-web-group');
    expect(p.actions.map((a) => [a.action, a.resource, a.source, a.dest])).toEqual([
      ['move', 'web-vip', 'node1', 'node3'],
      ['move', 'web-server', 'node1', 'node3'],
    ]);
    expect(placementChanges(p)).toEqual([
      { target: 'web-server', what: 'runs on (scheduler prediction)', before: 'node1', after: 'node3' },
      { target: 'web-vip', what: 'runs on (scheduler prediction)', before: 'node1', after: 'node3' },
    ]);
    expect(stoppedEverywhere(p)).toEqual([]);
  });

  it('standby: the group moves, the clone instance on node1 stops, the clone still runs elsewhere', () => {
    const p = parsed('standby-node1');
    expect(placementChanges(p).map((c) => `${c.target}: ${c.before} -> ${c.after}`)).toEqual(['ping: node1, node2, node3 -> node2, node3', 'web-server: node1 -> node2', 'web-vip: node1 -> node2']);
    expect(stoppedEverywhere(p)).toEqual([]);
  });

  it('banned from every node, disabled, a stopped clone: stops everywhere', () => {
    expect(stoppedEverywhere(parsed('ban-everywhere'))).toEqual(['web-server', 'web-vip']);
    expect(stoppedEverywhere(parsed('disable-web-group'))).toEqual(['web-server', 'web-vip']);
    expect(stoppedEverywhere(parsed('stop-clone'))).toEqual(['ping']);
    expect(parsed('stop-clone').actions.map((a) => a.resource)).toEqual(['ping:0', 'ping:1', 'ping:2']);
  });

  it('after a move, removing the constraint: nothing with stickiness, a move back without it', () => {
    expect(parsed('cleared-after-move').actions).toEqual([]);
    expect(parsed('cleared-moves-back').actions.map(describeAction)).toEqual(['Move web-vip ( node3 -> node1 )', 'Move web-server ( node3 -> node1 )']);
  });

  it('never throws: not XML, an error document, a cut-short output', () => {
    expect(parseSimulation('Segmentation fault')).toMatchObject({ ok: false });
    const bad = parseSimulation('<pacemaker-result api-version="2.25" request="x">\n  <status code="70" message="Internal software bug"/>\n</pacemaker-result>\n');
    expect(bad).toEqual({ ok: false, error: 'crm_simulate: no prediction (Internal software bug, code 70)' });
    const cut = prediction('move-web-group.xml').slice(0, 500);
    expect(parseSimulation(cut)).toMatchObject({ ok: false, error: expect.stringContaining('not well-formed') });
  });

  it('the remote output: each prediction or why it could not be made', () => {
    const section = (name: string, stdout: string, exit: number, stderr = '') => `@@baton:${name}\n${stdout}\n@@baton:stderr\n${stderr}\n@@baton:exit ${exit}\n`;
    const out = section('change', prediction('move-web-group.xml'), 0) + section('cleared', '', 105, "crm_resource: Resource 'x' not found\nError performing operation: No such object");
    const r = parsePredictionOutput(out, true);
    expect(r.change.ok).toBe(true);
    expect(r.cleared).toEqual({ ok: false, error: "removing the constraint on the predicted CIB exited 105: crm_resource: Resource 'x' not found / Error performing operation: No such object" });
    expect(parsePredictionOutput('', false)).toEqual({ change: { ok: false, error: 'the change on a copy of the CIB: did not run' } });
  });
});
