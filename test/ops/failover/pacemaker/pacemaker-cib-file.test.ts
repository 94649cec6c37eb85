// Hostile names from a crafted CIB (nodes called n2'$(touch pwned) and
// n3;$(touch pwned), a group called -web;touch pwned) through the whole
// action on a real shell: the real crm_resource / crm_attribute /
// crm_simulate on a CIB file (CIB_file, as the lab's sessions have it), the
// plan's prediction, the steps and verify. Nothing may be created by the
// names; the right CIB entries must change.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacemakerActions } from '../../../../src/ops/failover/pacemaker/pacemaker-actions.js';
import { harness, localHost, type Harness } from '../failover-harness.js';

const QUOTED_NODE = "n2'$(touch pwned)";
const NODE = 'n3;$(touch pwned)';
const GROUP = '-web;touch pwned';
const action = (verb: string) => pacemakerActions.find((a) => a.name === `pacemaker.${verb}`)!;

describe('pacemaker actions on a crafted CIB file', () => {
  let dir: string;
  let h: Harness;
  const saved = process.env.CIB_file;
  const cib = (scope: string) => execFileSync('cibadmin', ['--query', '--scope', scope], { encoding: 'utf8', env: process.env });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-pcmk-cib-'));
    copyFileSync(join(import.meta.dirname, '../../../fixtures/pacemaker/predictions/hostile-cib.xml'), join(dir, 'cib.xml'));
    process.env.CIB_file = join(dir, 'cib.xml');
    h = harness([localHost('pm1', { pacemaker: { cluster: 'crafted' } })], { dir });
  });
  afterAll(async () => {
    await h.close();
    if (saved === undefined) delete process.env.CIB_file;
    else process.env.CIB_file = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const nothingPwned = () => expect([process.cwd(), dir, tmpdir()].filter((d) => existsSync(join(d, 'pwned')))).toEqual([]);

  it('plans a move of the hostile group to a hostile node, predicted by the real scheduler on a copy', async () => {
    const plan = await h.plan(action('move'), [GROUP, NODE], {});
    if ('refused' in plan) throw new Error(plan.reason);
    expect(plan.preconditions).toContainEqual({ what: 'scheduler prediction', ok: true, detail: `Move web-vip ( node1 -> ${NODE} ); Move web-server ( node1 -> ${NODE} )` });
    expect(plan.preconditions).toContainEqual({ what: 'prediction after removing the constraint', ok: true, detail: `${GROUP} stays: no action` });
    expect(plan.steps[0]!.label).toBe(`crm_resource --move --resource='${GROUP}' --node='${NODE}'`);
    expect(cib('constraints')).not.toContain('cli-prefer'); // the prediction ran on a copy
    nothingPwned();
  });

  it("a ' in a node name: crm_simulate 2.1.5 aborts; the plan says there is no prediction and asks for the typed word", async () => {
    const plan = await h.plan(action('move'), [GROUP, QUOTED_NODE], {});
    if ('refused' in plan) throw new Error(plan.reason);
    expect(plan.preconditions).toContainEqual({ what: 'scheduler prediction', ok: false, detail: expect.stringContaining('pcmk__inject_node') });
    expect(plan.preconditions.map((p) => p.what)).not.toContain('prediction after removing the constraint');
    expect(plan.risk.reasons).toEqual([expect.stringContaining("the scheduler's prediction could not be made")]);
    nothingPwned();
  });

  it('maintenance on a hostile node and the hostile group: the CIB changes exactly there, verify sees it', async () => {
    const onNode = await h.act(action('maintenance'), ['on', NODE], { timeout: 5 });
    expect(onNode, JSON.stringify(onNode)).toMatchObject({ state: 'ok' });
    expect(cib('nodes')).toMatch(/<node id="3" uname="n3;\$\(touch pwned\)">\s*<instance_attributes[^>]*>\s*<nvpair[^>]*name="maintenance" value="on"/);
    const onGroup = await h.act(action('maintenance'), ['on', GROUP], { timeout: 5 });
    expect(onGroup).toMatchObject({ state: 'ok', verify: { detail: expect.stringContaining('web-vip unmanaged, web-server unmanaged') } });
    nothingPwned();
  });

  it("crm_attribute cannot map a node name with a ': the action fails with its words, nothing else happens", async () => {
    const r = await h.act(action('maintenance'), ['on', QUOTED_NODE], { timeout: 5 });
    expect(r).toMatchObject({ state: 'failed', run: { results: [{ outcome: 'failed', stderr: `crm_attribute: Could not map name=${QUOTED_NODE} to a UUID\n` }] } });
    nothingPwned();
  });

  it('a name that is not there is refused, listing those that are', async () => {
    expect(await h.plan(action('standby'), ['n2'], {})).toEqual({ refused: true, reason: `no node "n2" in cluster crafted; its nodes: ${QUOTED_NODE}, ${NODE}, node1` });
  });
});
