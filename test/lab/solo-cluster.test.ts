// `baton lab up --with corosync`: a real corosync + pacemakerd one-node
// cluster, checked with the real tools (corosync-quorumtool, crm_mon as root
// and over SSH as the lab user), seen by baton's Pacemaker probe, broken and
// repaired with `lab fail`/`heal`, and gone after `lab down`. Root only:
// corosync and pacemakerd run as root.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { PACEMAKER_CIB_DIR, SOLO_CLUSTER, SOLO_NODE, SOLO_RESOURCE } from '../../src/lab/corosync/solo-cluster-files.js';
import { parseCrmMon } from '../../src/lab/pacemaker/crm-mon.js';
import { processesNamed } from '../../src/lab/leftovers.js';
import type { PacemakerSnapshot } from '../../src/probes/pacemaker.js';
import { serviceId } from '../../src/store/services.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const INTERVAL_S = 1;
const CLUSTER_PROGRAMS = ['corosync', 'pacemakerd', 'pacemaker-based', 'pacemaker-controld', 'pacemaker-execd', 'pacemaker-schedulerd'];
let lab: TestLab;
let session: Session | undefined;

beforeAll(async () => {
  if (!isRoot) return;
  lab = await startTestLab({ with: ['corosync'] });
  session = await openSession(sessionOptions({ inventory: lab.files.inventory, interval: INTERVAL_S }));
  session.monitor.start();
}, 130_000);
afterAll(async () => {
  await session?.monitor.stop();
  await lab?.down();
});

const crmMon = () => parseCrmMon(execFileSync('crm_mon', ['--output-as=xml', '-1'], { encoding: 'utf8' }));
const solo = () => session!.store.getState().services[serviceId('pacemaker', SOLO_CLUSTER)];
const snapshot = () => solo()?.snapshot as PacemakerSnapshot | undefined;

describe.runIf(isRoot)('lab up --with corosync: a real one-node cluster', () => {
  it('runs corosync with quorum and Pacemaker with its DC and the resource started', () => {
    expect(execFileSync('corosync-quorumtool', ['-s'], { encoding: 'utf8' })).toMatch(/Quorate:\s+Yes/);
    const view = crmMon();
    expect(view.dc).toBe(SOLO_NODE);
    expect(view.nodes).toEqual([expect.objectContaining({ name: SOLO_NODE, online: true })]);
    expect(view.primitives.get(SOLO_RESOURCE)).toEqual([SOLO_NODE]);
    expect(lab.status().components.find((c) => c.name === 'corosync')).toMatchObject({ healthy: true, failed: [] });
  });

  it('answers crm_mon over SSH on db1 as the lab user (a haclient member), and baton shows it', async () => {
    const overSsh = lab.ssh('db1', 'crm_mon --output-as=xml -1');
    expect(overSsh.stderr).toBe('');
    expect(parseCrmMon(overSsh.stdout).dc).toBe(SOLO_NODE);
    await waitFor(() => snapshot()?.resources.some((r) => r.id === SOLO_RESOURCE && r.role === 'Started') === true, 10_000, 'solo-dummy Started in the store');
    expect(solo()).toMatchObject({ answeredBy: 'db1' });
    expect(snapshot()).toMatchObject({ stack: 'corosync', withQuorum: true, dc: { present: true, name: SOLO_NODE } });
  });

  it('fail: the real monitor finds the resource not running; the store shows the failed action within interval + 1 s of crm_mon', async () => {
    const r = lab.baton('fail', `corosync:resource:${SOLO_RESOURCE}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/monitor returned 'not running', fail-count 1/);
    const seen = Date.now();
    await waitFor(() => snapshot()?.failures.some((f) => f.resource === SOLO_RESOURCE) === true, INTERVAL_S * 1000 + 1000, 'failed action in the store');
    expect(Date.now() - seen).toBeLessThanOrEqual(INTERVAL_S * 1000 + 1000);
    expect(solo()?.alerts.some((a) => a.message.includes(SOLO_RESOURCE))).toBe(true);
    expect(lab.status().components.find((c) => c.name === 'corosync')?.failed).toEqual([`corosync:resource:${SOLO_RESOURCE}`]);
  });

  it('heal: crm_resource --cleanup clears it; standby stops the resource and online starts it again', async () => {
    expect(lab.baton('heal', `corosync:resource:${SOLO_RESOURCE}`).code).toBe(0);
    expect(crmMon().failures).toEqual([]);
    await waitFor(() => snapshot()?.failures.length === 0, 5000, 'failures cleared in the store');
    expect(lab.baton('fail', `corosync:${SOLO_NODE}`).code).toBe(0);
    // The stop may still be under way when the standby is set (seen once in CI): bounded, as for the store.
    await waitFor(() => crmMon().primitives.get(SOLO_RESOURCE)?.length === 0, 10_000, 'the resource stopped on standby');
    expect(lab.baton('heal', `corosync:${SOLO_NODE}`).code).toBe(0);
    await waitFor(() => crmMon().primitives.get(SOLO_RESOURCE)?.[0] === SOLO_NODE, 10_000, 'the resource started again');
  });

  it('lab down stops every cluster daemon and leaves no CIB and no haclient membership behind', async () => {
    await session?.monitor.stop();
    session = undefined;
    await lab.down();
    expect(processesNamed(CLUSTER_PROGRAMS)).toEqual([]);
    expect(readdirSync(PACEMAKER_CIB_DIR)).toEqual([]);
    expect(execFileSync('id', ['-nG', 'baton-lab'], { encoding: 'utf8' })).not.toMatch(/haclient/);
  });
});
