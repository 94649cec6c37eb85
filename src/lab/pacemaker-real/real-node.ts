// One node of the real cluster: its machine (namespaces, state dirs), and
// its cluster stack, booted (corosync, then pacemakerd, which starts
// Pacemaker's daemons), crashed (every process of the node SIGKILLed) and
// booted again.
import { execFile } from 'node:child_process';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { LabContext } from '../component.js';
import { killTree, waitGone } from '../process-tree.js';
import { bootCleanScript, killNodeProcesses, NODE_MOUNTS, nodeNamespaceArgv, onNode, processesSharing, waitForInit, type NodeProcess } from './node-namespace.js';
import { corosyncConf, type NodeName } from './real-cluster-files.js';

const run = promisify(execFile);
const NAMESPACES_TIMEOUT_MS = 5_000;
const COROSYNC_IPC_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5_000;

/** Pacemaker's daemons run as hacluster:haclient and own their state dirs. */
export interface ClusterOwner {
  uid: number;
  gid: number;
}

export class RealNode {
  /** The node's init (PID 1 of its namespace), once created. */
  private init: number | undefined;
  /** The process that made the namespaces: killing it ends the node. */
  private holder: number | undefined;
  crashed = false;

  constructor(
    readonly node: NodeName,
    private readonly ctx: LabContext,
  ) {}

  get stateDir(): string {
    return join(this.ctx.dir, 'pacemaker', this.node);
  }

  /** argv prefix that runs a command on the node (PID namespace too, for daemons). */
  via(options: { pid?: boolean } = {}): string[] {
    if (this.init === undefined) throw new Error(`${this.node} has not been created`);
    return onNode(this.init, options);
  }

  get initPid(): number | undefined {
    return this.init;
  }

  /** State dirs (with the node's corosync.conf and first CIB), then the namespaces. */
  async create(cib: string, owner: ClusterOwner): Promise<void> {
    const dir = this.stateDir;
    const pcmk = join(dir, 'var-lib-pacemaker');
    for (const sub of Object.keys(NODE_MOUNTS)) await mkdir(join(dir, sub), { recursive: true });
    for (const target of Object.values(NODE_MOUNTS)) await mkdir(target, { recursive: true }); // mount points
    for (const sub of ['cib', 'pengine', 'blackbox', 'cores']) await mkdir(join(pcmk, sub), { recursive: true, mode: 0o750 });
    await writeFile(join(dir, 'etc-corosync', 'corosync.conf'), corosyncConf(join(this.ctx.dir, 'logs'), this.node));
    await writeFile(join(pcmk, 'cib', 'cib.xml'), cib, { mode: 0o600 });
    for (const path of [pcmk, ...['cib', 'pengine', 'blackbox', 'cores', 'cib/cib.xml'].map((p) => join(pcmk, p)), join(dir, 'log-pacemaker')]) {
      await chown(path, owner.uid, owner.gid);
    }
    const { command, args } = nodeNamespaceArgv(this.node, dir);
    this.holder = await this.ctx.spawnDaemon(`${this.node}-namespaces`, command, args);
    try {
      this.init = await waitForInit(this.holder, NAMESPACES_TIMEOUT_MS);
    } catch (err) {
      throw new Error(`pacemaker: ${this.node}: ${(err as Error).message}; see ${join(this.ctx.dir, 'logs', `${this.node}-namespaces.log`)}`);
    }
  }

  /** Runs `argv` on the node (its network, mount and UTS namespaces), bounded. */
  async run(argv: readonly string[], timeoutMs = 10_000): Promise<string> {
    const [command = 'nsenter', ...args] = [...this.via(), ...argv];
    return (await run(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' })).stdout;
  }

  /** A fresh /run, then corosync, then (once corosync answers) pacemakerd. */
  async boot(): Promise<void> {
    await this.run(['sh', '-c', bootCleanScript(this.node)]);
    const [command = 'nsenter', ...prefix] = this.via({ pid: true });
    await this.ctx.spawnDaemon(`${this.node}-corosync`, command, [...prefix, 'corosync', '-f']);
    const deadline = Date.now() + COROSYNC_IPC_TIMEOUT_MS;
    // corosync-cfgtool fails until corosync answers on its IPC socket (in the node's network namespace).
    while (!(await this.run(['corosync-cfgtool', '-s'], 5_000).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error(`pacemaker: corosync on ${this.node} did not answer within ${COROSYNC_IPC_TIMEOUT_MS / 1000} s; see ${join(this.ctx.dir, 'logs', `${this.node}-corosync.log`)}`);
      await sleep(100);
    }
    await this.ctx.spawnDaemon(`${this.node}-pacemakerd`, command, [...prefix, 'pacemakerd'], { env: { PCMK_logfile: '/var/log/pacemaker/pacemaker.log' } });
    this.crashed = false;
  }

  /** Every process of the node but its init, SIGKILLed: what the kernel does to a machine that dies. */
  async crash(): Promise<NodeProcess[]> {
    if (this.init === undefined) return [];
    this.crashed = true;
    return killNodeProcesses(this.init, KILL_TIMEOUT_MS);
  }

  /** Processes of the node now (its init left out). */
  processes(): NodeProcess[] {
    return this.init === undefined ? [] : processesSharing(this.init, 'pid');
  }

  /** Ends the node: its init goes, and the kernel kills everything in its PID namespace. */
  async destroy(): Promise<void> {
    const pids = [this.holder, this.init].filter((p) => p !== undefined);
    const members = this.processes().map((p) => p.pid);
    if (this.holder !== undefined) killTree(this.holder);
    this.holder = undefined;
    this.init = undefined;
    if (!(await waitGone([...pids, ...members], KILL_TIMEOUT_MS))) throw new Error(`pacemaker: ${this.node}'s processes survived SIGKILL for ${KILL_TIMEOUT_MS / 1000} s`);
  }
}
