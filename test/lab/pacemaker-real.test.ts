// The lab's real Pacemaker cluster (as root): three namespaced nodes with
// corosync and pacemakerd, checked the way an operator would: crm_mon over
// the lab's SSH on a node, curl on the VIP from this machine, a node crashed
// with `baton lab fail` and booted again with `lab heal`, and nothing left
// after `lab down`. Needs `npm run build` (the lab is started by the built CLI).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesNamed } from '../../src/lab/leftovers.js';
import { parseCrmMon, type ClusterView } from '../../src/lab/pacemaker/crm-mon.js';
import { labNetworkObjects } from '../../src/lab/pacemaker-real/node-network.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const VIP_URL = 'http://10.250.3.100/';
/** The host whose sshd runs in a node's namespaces: node1 -> web1. */
const hostOf = (node: string) => `web${node.slice('node'.length)}`;

let lab: TestLab;

/** crm_mon --output-as=xml over the lab's real OpenSSH, in a session on `host`. */
function crmMon(host: string): ClusterView {
  const r = lab.ssh(host, 'crm_mon --output-as=xml');
  if (r.status !== 0) throw new Error(`crm_mon on ${host}: exit ${r.status}: ${r.stderr}`);
  return parseCrmMon(r.stdout);
}

/** What the VIP answers, with curl from this machine (the root namespace). */
function vip(): string {
  return spawnSync('curl', ['-s', '-m', '1', VIP_URL], { encoding: 'utf8', timeout: 5_000 }).stdout;
}

function act(verb: 'fail' | 'heal', target: string): string {
  const r = lab.baton(verb, target);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe.skipIf(!isRoot)('the real Pacemaker cluster (root only: namespaces, corosync and pacemakerd run as root)', () => {
  beforeAll(async () => {
    lab = await startTestLab();
  }, 120_000);
  afterAll(async () => {
    await lab?.down();
  });

  it('runs for real, and says that fencing is disabled', () => {
    const pcmk = lab.status().components.find((c) => c.name === 'pacemaker');
    expect(pcmk).toMatchObject({ mode: 'real', healthy: true, failed: [] });
    expect(pcmk?.detail).toMatch(/^real cluster, DC node\d, VIP 10\.250\.3\.100: 3\/3 nodes online, web-group on node\d, 0 failed actions, fencing disabled \(lab\)$/);
    expect(lab.upOutput).toContain('fencing disabled (lab)');
  });

  it('a node over SSH is that node: its hostname, its eth0, and crm_mon there sees three nodes and web-group started', () => {
    const r = lab.ssh('web2', 'hostname; ip -o -4 addr show dev eth0');
    expect(r.stdout).toMatch(/^node2\n.*inet 10\.250\.3\.12\/24/);
    const view = crmMon('web2');
    expect(view.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', true], ['node3', true]]);
    expect(view.primitives.get('web-vip')).toHaveLength(1);
    expect(view.primitives.get('web-server')).toEqual(view.primitives.get('web-vip'));
    expect(view.placement.get('ping-clone')).toEqual(['node1', 'node2', 'node3']);
  });

  it('the VIP answers from the node running web-group; that node crashed, another answers; healed, it rejoins', async () => {
    const [where = ''] = crmMon('web1').placement.get('web-group') ?? [];
    expect(vip()).toBe(`served by ${where}\n`);
    const said = act('fail', `pacemaker:${where}`);
    expect(said).toMatch(new RegExp(`^${where} crashed: corosync, pacemakerd, .* killed \\(SIGKILL\\), link btveth\\d down; the others reacted within \\d+\\.\\d s: web-group moved from ${where} to node\\d`));
    const answer = await waitFor(() => /^served by (node\d)\n$/.exec(vip())?.[1], 20_000, 'the VIP answering from another node');
    expect(answer).not.toBe(where);
    const survivor = hostOf(answer);
    expect(crmMon(survivor).nodes.find((n) => n.name === where)?.online).toBe(false);
    expect(lab.status().components.find((c) => c.name === 'pacemaker')?.failed).toEqual([`pacemaker:${where}`]);

    expect(act('heal', `pacemaker:${where}`)).toMatch(new RegExp(`^${where} booted and rejoined in \\d+\\.\\d s; ping-clone started on ${where}\\n$`));
    await waitFor(() => crmMon(survivor).nodes.every((n) => n.online), 20_000, `${where} online again`);
    expect(vip()).toBe(`served by ${answer}\n`); // resource-stickiness keeps it where it went
  }, 90_000);

  it('lab down leaves no namespace, link, bridge, mount or cluster process', async () => {
    const out = await lab.down();
    expect(out).toContain('nothing left running');
    expect(await labNetworkObjects()).toEqual({ namespaces: [], links: [] });
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toMatch(/\/run\/netns\/bt/);
    expect(processesNamed(['corosync', 'pacemakerd', 'pacemaker-based', 'pacemaker-controld'])).toEqual([]);
    const anywhere = spawnSync('pgrep', ['-x', 'corosync|pacemakerd|pacemaker-execd'], { encoding: 'utf8' }).stdout.trim();
    expect(anywhere).toBe('');
  }, 60_000);
});
