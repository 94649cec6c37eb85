// The lab's CIB-file Pacemaker cluster (the fallback when the real one
// cannot run), checked the way an operator would: with the real crm_mon,
// crm_resource, crm_attribute and cibadmin on the lab's CIB file (CIB_file),
// while the component's converge loop runs the scheduler. The real cluster
// has its own test (pacemaker-real.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCrmMon, type ClusterView } from '../../src/lab/pacemaker/crm-mon.js';
import { PacemakerComponent } from '../../src/lab/pacemaker/pacemaker-component.js';
import { epochMs } from '../../src/lab/component.js';
import { testLabContext } from '../helpers/lab-context.js';
import { processesMentioning } from '../helpers/processes.js';

let dir: string;
let ctx: ReturnType<typeof testLabContext>;
let pm: PacemakerComponent;

/** Runs a Pacemaker tool on the lab's CIB; bounded, throws with its stderr on failure. */
function tool(command: string, ...args: string[]): string {
  const r = spawnSync(command, args, { env: { ...process.env, CIB_file: pm.cibFile }, encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function crmMon(): ClusterView {
  return parseCrmMon(tool('crm_mon', '--output-as=xml', '-1'));
}

/** Polls crm_mon until `check` holds (the converge loop runs every 500 ms). */
async function until(check: (view: ClusterView) => boolean, timeoutMs = 2_000): Promise<ClusterView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = crmMon();
    if (check(view)) return view;
    if (Date.now() > deadline) throw new Error(`crm_mon never showed the expected state; last: ${tool('crm_mon', '-1')}`);
    await sleep(100);
  }
}

const groupOn = (node: string) => (v: ClusterView) => v.placement.get('web-group')?.join() === node;


describe('the lab Pacemaker cluster', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-pacemaker-'));
    ctx = testLabContext(dir);
    pm = new PacemakerComponent({ mode: 'cib-file' });
    await pm.start(ctx);
  });
  afterAll(async () => {
    await pm?.stop();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts 3 online nodes with every resource started, in a CIB crm_verify accepts', async () => {
    expect(pm.cibFile).toBe(join(dir, 'pacemaker', 'cib.xml'));
    const [web1, , , db1] = ctx.hosts;
    expect(pm.sshEnvironment(web1!)).toEqual({ CIB_file: pm.cibFile });
    expect(pm.sshEnvironment(db1!)).toEqual({});
    tool('crm_verify', '--xml-file', pm.cibFile);
    const view = crmMon();
    expect(view.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', true], ['node3', true]]);
    expect(view.dc).toBe('node1');
    expect(view.quorum).toBe(true);
    expect(view.primitives.get('web-vip')).toEqual(['node1']);
    expect(view.primitives.get('web-server')).toEqual(['node1']);
    expect(view.placement.get('ping-clone')).toEqual(['node1', 'node2', 'node3']);
    expect(pm.mode).toBe('cib-file');
    expect(await pm.status()).toEqual({
      name: 'pacemaker',
      mode: 'cib-file',
      healthy: true,
      detail: 'CIB file (CIB-file mode asked for): 3/3 nodes online, web-group on node1, 0 failed actions, fencing disabled (lab)',
      failed: [],
    });
  });

  it('moves web-group with crm_resource --move (cli-prefer) and --clear removes the constraint', async () => {
    tool('crm_resource', '--move', '--resource', 'web-group', '--node', 'node3');
    await until(groupOn('node3'));
    expect(tool('cibadmin', '--query', '--scope', 'constraints')).toContain('id="cli-prefer-web-group"');
    tool('crm_resource', '--clear', '--resource', 'web-group');
    expect(tool('cibadmin', '--query', '--scope', 'constraints')).not.toContain('cli-prefer');
    await sleep(700); // a converge after --clear: stickiness keeps it where it is
    expect(crmMon().placement.get('web-group')).toEqual(['node3']);
  });

  it('moves resources off a node put in standby with crm_attribute', async () => {
    tool('crm_attribute', '--node', 'node3', '--name', 'standby', '--update', 'on');
    const view = await until((v) => v.nodes.find((n) => n.name === 'node3')?.standby === true && !v.placement.get('web-group')?.includes('node3'));
    expect(view.placement.get('web-group')).toHaveLength(1);
    tool('crm_attribute', '--node', 'node3', '--name', 'standby', '--update', 'off');
    await until((v) => v.placement.get('ping-clone')?.length === 3);
  });

  it('keeps every operator write made while the loop converges', async () => {
    for (let i = 0; i < 8; i++) {
      tool('crm_attribute', '--type', 'crm_config', '--name', `lab-write-${i}`, '--update', String(i));
      await sleep(i * 40);
    }
    await sleep(700);
    const config = tool('cibadmin', '--query', '--scope', 'crm_config');
    for (let i = 0; i < 8; i++) expect(config).toContain(`name="lab-write-${i}"`);
  });

  it('fails node2 while it runs web-group: the group moves, node2 goes offline; heal brings it back', async () => {
    tool('crm_resource', '--move', '--resource', 'web-group', '--node', 'node2');
    await until(groupOn('node2'));
    tool('crm_resource', '--clear', '--resource', 'web-group');
    let tookEffect: number | undefined;
    const asked = epochMs();
    const said = await pm.fail('pacemaker:node2', (at = epochMs()) => (tookEffect = at));
    // The moment the CIB with node2 down was swapped in, for the detection bench.
    expect(tookEffect).toBeGreaterThan(asked);
    expect(tookEffect).toBeLessThan(epochMs());
    expect(said).toMatch(/^node2 failed; web-group moved from node2 to node\d; ping-clone stopped on node2$/);
    const view = crmMon();
    expect(view.nodes.find((n) => n.name === 'node2')?.online).toBe(false);
    expect(view.placement.get('web-group')).not.toContain('node2');
    expect(view.quorum).toBe(true);
    expect(await pm.status()).toMatchObject({ healthy: false, failed: ['pacemaker:node2'] });
    expect(await pm.fail('pacemaker:node2')).toBe('node2 is already down');

    expect(await pm.heal('pacemaker:node2')).toBe('node2 is back online; ping-clone started on node2');
    expect(crmMon().nodes.every((n) => n.online)).toBe(true);
    expect((await pm.status()).failed).toEqual([]);
  });

  it('fails web-server with an injected monitor failure: failed action, fail count, failover; heal cleans up', async () => {
    const where = crmMon().placement.get('web-group')?.[0];
    const said = await pm.fail('pacemaker:resource:web-server');
    expect(said).toMatch(new RegExp(`^web-server failed on ${where} \\(monitor: not running\\), fail-count 1; web-group moved from ${where} to node\\d$`));
    const xml = tool('crm_mon', '--output-as=xml', '-1');
    expect(xml).toContain(`<failure op_key="web-server_monitor_10000" node="${where}"`);
    expect(xml).toMatch(/<resource_history id="web-server"[^>]* fail-count="1"/);
    expect((await pm.status()).failed).toEqual(['pacemaker:resource:web-server']);

    expect(await pm.heal('pacemaker:resource:web-server')).toBe('web-server cleaned up: failed actions and fail counts cleared');
    const after = crmMon();
    expect(after.failures).toEqual([]);
    expect(after.failCounts.size).toBe(0);
    expect(await pm.status()).toMatchObject({ healthy: true, failed: [] });
  });

  it('refuses unknown targets with the list of known ones', async () => {
    expect(pm.owns('pacemaker:node9')).toBe(true);
    expect(pm.owns('etcd:leader')).toBe(false);
    await expect(pm.fail('pacemaker:node9')).rejects.toThrow(/use one of pacemaker:node1, .*pacemaker:resource:web-server/);
  });

  it('stops: no process left and the CIB no longer converges', async () => {
    await pm.stop();
    expect(processesMentioning(dir)).toEqual([]);
    const [where] = crmMon().placement.get('web-group') ?? [];
    tool('crm_resource', '--move', '--resource', 'web-group', '--node', where === 'node1' ? 'node2' : 'node1');
    await sleep(1_200);
    expect(crmMon().placement.get('web-group')).toEqual([where]);
    expect(readdirSync(join(dir, 'pacemaker'))).toEqual(['cib.xml']);
  });
});
