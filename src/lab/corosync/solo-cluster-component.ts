// `lab up --with corosync`: a real one-node Pacemaker cluster (corosync +
// pacemakerd and all of Pacemaker's daemons), beside the three-node cluster
// that the lab drives through a CIB file. Everything here is the real
// stack: membership, the DC election, the controller running the resource's
// monitor, failure counting and recovery. Root only (corosync and
// pacemakerd run as root), and only on a machine with no cluster of its
// own: Pacemaker keeps its CIB in a fixed system directory.
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { processesNamed } from '../leftovers.js';
import { readClusterView, type ClusterView } from '../pacemaker/crm-mon.js';
import { runPcmkTool } from '../pacemaker/pcmk-tool.js';
import { waitGone } from '../process-tree.js';
import { corosyncConf, isSoloCib, PACEMAKER_CIB_DIR, PACEMAKER_PENGINE_DIR, seedCib, SOLO_NODE, SOLO_RESOURCE, SOLO_RING_ADDRESS } from './solo-cluster-files.js';

const run = promisify(execFile);
const PACEMAKER_DAEMONS = ['pacemakerd', 'pacemaker-based', 'pacemaker-fenced', 'pacemaker-execd', 'pacemaker-attrd', 'pacemaker-schedulerd', 'pacemaker-controld'];
const CLUSTER_PROGRAMS = ['corosync', ...PACEMAKER_DAEMONS];
/** Members of this group may ask the cluster (crm_mon) without being root. */
const CLUSTER_CLIENTS_GROUP = 'haclient';
const RESOURCE_TARGET = `corosync:resource:${SOLO_RESOURCE}`;
const NODE_TARGET = `corosync:${SOLO_NODE}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`corosync: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function readCib(): string | undefined {
  try {
    return readFileSync(join(PACEMAKER_CIB_DIR, 'cib.xml'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Refuses a machine that runs, or has the CIB of, a cluster the lab did not
 * make. A lab whose supervisor was killed leaves its CIB and some Pacemaker
 * daemons behind (corosync dies with the supervisor; pacemakerd forks away
 * from the parent-death signal): those are the lab's own and are killed.
 */
async function claimMachine(log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('--with corosync needs root: corosync and pacemakerd run as root (run baton lab up as root, or leave out --with corosync)');
  const cib = readCib();
  if (cib !== undefined && !isSoloCib(cib)) {
    throw new Error(`--with corosync: ${join(PACEMAKER_CIB_DIR, 'cib.xml')} holds a cluster configuration the lab did not write; the lab will not overwrite it. Move it away, or leave out --with corosync`);
  }
  let running = processesNamed(CLUSTER_PROGRAMS);
  if (cib !== undefined && running.length > 0 && !running.some((p) => p.comm === 'corosync')) {
    for (const p of running) process.kill(p.pid, 'SIGKILL');
    await waitGone(running.map((p) => p.pid), 5000);
    log(`corosync: killed what an earlier lab left running: ${running.map((p) => `${p.comm} (pid ${p.pid})`).join(', ')}`);
    running = processesNamed(CLUSTER_PROGRAMS);
  }
  if (running.length > 0) {
    const list = running.map((p) => `${p.comm} (pid ${p.pid})`).join(', ');
    throw new Error(`--with corosync: this machine already runs ${list}; the lab does not start a second cluster beside it. Stop it, or leave out --with corosync`);
  }
}

/** Empties the CIB and scheduler-input directories (only ever the lab's own files, see claimMachine). */
function clearPacemakerState(): void {
  for (const dir of [PACEMAKER_CIB_DIR, PACEMAKER_PENGINE_DIR]) {
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true, recursive: true });
  }
}

async function uid(user: string): Promise<{ uid: number; gid: number }> {
  const [u, g] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(u.stdout), gid: Number(g.stdout) };
}

export class SoloClusterComponent implements LabComponent {
  readonly name = 'corosync';
  readonly targets: readonly string[] = [NODE_TARGET, RESOURCE_TARGET];
  private stateFile: string | undefined;
  private started = false;

  /** loginUser: the lab's SSH login user when root, added to haclient so crm_mon over SSH works. */
  constructor(private readonly loginUser: string | undefined) {}

  async start(ctx: LabContext): Promise<void> {
    await claimMachine(ctx.log);
    const dir = join(ctx.dir, 'corosync');
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'corosync.conf');
    writeFileSync(conf, corosyncConf(join(ctx.dir, 'logs', 'corosync-daemon.log')));
    this.stateFile = join(dir, `${SOLO_RESOURCE}.state`);
    clearPacemakerState();
    const cib = join(PACEMAKER_CIB_DIR, 'cib.xml');
    writeFileSync(cib, seedCib(this.stateFile), { mode: 0o600 });
    const owner = await uid('hacluster');
    chownSync(cib, owner.uid, owner.gid);
    if (this.loginUser) await run('usermod', ['--append', '--groups', CLUSTER_CLIENTS_GROUP, this.loginUser]);
    this.started = true;

    await ctx.spawnDaemon('corosync', 'corosync', ['-f', '-c', conf]);
    await waitUntil('corosync forming its one-node ring', 10_000, async () => {
      await run('corosync-cfgtool', ['-s']); // fails until corosync answers on its IPC
      return true;
    });
    await ctx.spawnDaemon('pacemakerd', 'pacemakerd', [], { env: { PCMK_logfile: join(ctx.dir, 'logs', 'pacemaker-daemons.log') } });
    await waitUntil(`${SOLO_RESOURCE} started by Pacemaker`, 30_000, async () => ((await this.view()).primitives.get(SOLO_RESOURCE) ?? []).length > 0);
    ctx.log(`corosync: real one-node cluster ${SOLO_NODE} (corosync on ${SOLO_RING_ADDRESS}, pacemakerd), ${SOLO_RESOURCE} started`);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // pacemakerd stops its resources and daemons on SIGTERM; corosync goes last.
    for (const p of processesNamed(['pacemakerd'])) process.kill(p.pid, 'SIGTERM');
    await waitGone(processesNamed(PACEMAKER_DAEMONS).map((p) => p.pid), 15_000);
    for (const p of processesNamed(CLUSTER_PROGRAMS)) process.kill(p.pid, p.comm === 'corosync' ? 'SIGTERM' : 'SIGKILL');
    await waitGone(processesNamed(CLUSTER_PROGRAMS).map((p) => p.pid), 10_000);
    clearPacemakerState();
    if (this.loginUser) await run('gpasswd', ['--delete', this.loginUser, CLUSTER_CLIENTS_GROUP]).catch(() => undefined);
  }

  async status(): Promise<ComponentStatus> {
    if (!this.started) return { name: this.name, healthy: false, detail: 'not started', failed: [] };
    let view: ClusterView;
    try {
      view = await this.view();
    } catch (err) {
      return { name: this.name, healthy: false, detail: `crm_mon: ${(err as Error).message}`, failed: [] };
    }
    const node = view.nodes.find((n) => n.name === SOLO_NODE);
    const runsOn = view.primitives.get(SOLO_RESOURCE) ?? [];
    const failed = [...(node?.standby || !node?.online ? [NODE_TARGET] : []), ...(view.failures.some((f) => f.resource === SOLO_RESOURCE) ? [RESOURCE_TARGET] : [])];
    const detail = [
      `real cluster: ${SOLO_NODE} ${node?.online ? (node.standby ? 'standby' : 'online') : 'offline'}`,
      `DC ${view.dc ?? 'none'}`,
      `${SOLO_RESOURCE} ${runsOn.length ? `started on ${runsOn.join(', ')}` : 'stopped'}`,
      `${view.failures.length} failed action${view.failures.length === 1 ? '' : 's'}`,
    ].join(', ');
    return { name: this.name, healthy: failed.length === 0 && runsOn.length > 0, detail, failed };
  }

  owns(target: string): boolean {
    return target.startsWith('corosync:');
  }

  async fail(target: string): Promise<string> {
    this.checkTarget(target);
    if (target === NODE_TARGET) {
      await runPcmkTool('crm_attribute', ['--node', SOLO_NODE, '--name', 'standby', '--update', 'on'], undefined);
      await waitUntil(`${SOLO_RESOURCE} stopping on standby`, 15_000, async () => ((await this.view()).primitives.get(SOLO_RESOURCE) ?? []).length === 0);
      return `${SOLO_NODE} put in standby (crm_attribute); Pacemaker stopped ${SOLO_RESOURCE}`;
    }
    // What the resource's monitor checks: without its state file, the next
    // monitor (every 2 s) reports "not running" and Pacemaker recovers it.
    rmSync(this.stateFile!, { force: true });
    await waitUntil(`the monitor of ${SOLO_RESOURCE} noticing`, 15_000, async () => (await this.view()).failures.some((f) => f.resource === SOLO_RESOURCE));
    const view = await this.view();
    return `${SOLO_RESOURCE}'s state file removed: its monitor returned 'not running', fail-count ${view.failCounts.get(`${SOLO_RESOURCE}@${SOLO_NODE}`) ?? 0}; Pacemaker recovers it`;
  }

  async heal(target: string): Promise<string> {
    this.checkTarget(target);
    if (target === NODE_TARGET) {
      await runPcmkTool('crm_attribute', ['--node', SOLO_NODE, '--name', 'standby', '--update', 'off'], undefined);
      await waitUntil(`${SOLO_RESOURCE} starting again`, 15_000, async () => ((await this.view()).primitives.get(SOLO_RESOURCE) ?? []).length > 0);
      return `${SOLO_NODE} online again; Pacemaker started ${SOLO_RESOURCE}`;
    }
    await runPcmkTool('crm_resource', ['--cleanup', '--resource', SOLO_RESOURCE], undefined);
    await waitUntil(`the failures of ${SOLO_RESOURCE} clearing`, 15_000, async () => !(await this.view()).failures.some((f) => f.resource === SOLO_RESOURCE));
    return `${SOLO_RESOURCE} cleaned up (crm_resource --cleanup): failed actions and fail count cleared`;
  }

  private view(): Promise<ClusterView> {
    return readClusterView(undefined);
  }

  private checkTarget(target: string): void {
    if (!this.started) throw new Error('the corosync cluster is not running: start the lab with --with corosync');
    if (!this.targets.includes(target)) throw new Error(`unknown corosync target '${target}': use one of ${this.targets.join(', ')}`);
  }
}
