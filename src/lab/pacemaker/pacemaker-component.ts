// The lab's Pacemaker cluster: three nodes (node1-3, on the hosts with the
// 'pacemaker' role). As root it is real (src/lab/pacemaker-real: corosync
// and pacemakerd in namespaced nodes, resource agents that run). Otherwise,
// or when the kernel lacks what the nodes need, the CIB-file cluster runs,
// and `lab status` says which and why: its whole state lives in one CIB
// file, driven by Pacemaker's real scheduler (crm_simulate) and read with
// the real crm_mon. corosync and pacemakerd (with controld, attrd, execd)
// are the one part replaced there: no daemon runs; membership, quorum and
// the DC are written by membership.ts, and the controller's reaction to CIB
// changes is the converge loop. Operators' commands over SSH (crm_mon,
// crm_resource --move/--ban/--clear, crm_attribute) work on the file
// through CIB_file.
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComponentStatus, LabComponent, LabContext, LabHost } from '../component.js';
import type { LabHostSpec } from '../layout.js';
import { failNode, failResource as failRealResource, healNode, healResource } from '../pacemaker-real/real-faults.js';
import { RealCluster } from '../pacemaker-real/real-cluster.js';
import { realClusterUnavailable } from '../pacemaker-real/real-mode-check.js';
import { VIP } from '../pacemaker-real/real-cluster-files.js';
import { CibStore } from './cib-store.js';
import { GROUP_ID, initialCib, NODES, PRIMITIVE_IDS } from './cluster-definition.js';
import { startConvergeLoop, type ConvergeLoop } from './converge-loop.js';
import { readClusterView, type ClusterView } from './crm-mon.js';
import { clearResourceFailures, failResource, setNodeUp } from './faults.js';
import { electDc, readMembership, recordDc, recordDcVersion } from './membership.js';
import { describeMoves, whereRuns } from './outcome.js';
import { runPcmkTool } from './pcmk-tool.js';
import { runScheduler } from './scheduler.js';

type Target = { kind: 'node'; node: string } | { kind: 'resource'; id: string };

const NODE_TARGETS = NODES.map((n) => `pacemaker:${n}`);
const RESOURCE_TARGETS = PRIMITIVE_IDS.map((id) => `pacemaker:resource:${id}`);
/** There is no fencing device in the lab (stonith-enabled=false): said wherever the cluster's state is. */
export const FENCING_NOTE = 'fencing disabled (lab)';

export interface PacemakerOptions {
  /** 'auto' (default): real when the machine allows it; 'cib-file': always the CIB file. */
  mode?: 'auto' | 'cib-file';
  /** The lab's SSH login user when root: added to haclient, so crm_mon over SSH may ask the real cluster. */
  loginUser?: string;
}

export class PacemakerComponent implements LabComponent {
  readonly name = 'pacemaker';
  readonly targets: readonly string[] = [...NODE_TARGETS, ...RESOURCE_TARGETS];
  private store: CibStore | undefined;
  private loop: ConvergeLoop | undefined;
  private real: RealCluster | undefined;
  /** Why the CIB-file cluster runs instead of the real one. */
  private cibFileReason = '';
  /** Host id -> the node it is the SSH side of (real mode). */
  private readonly hostNodes = new Map<string, (typeof NODES)[number]>();

  constructor(private readonly options: PacemakerOptions = {}) {}

  /** 'real' or 'cib-file', once started. */
  get mode(): 'real' | 'cib-file' {
    return this.real ? 'real' : 'cib-file';
  }

  /** The CIB file; known once start() has been given the lab's dir. */
  get cibFile(): string {
    if (!this.store) throw new Error('pacemaker: the CIB file exists once the component has started');
    return this.store.path;
  }

  sshEnvironment(host: LabHostSpec): Record<string, string> {
    return host.roles.includes('pacemaker') && !this.real ? { CIB_file: this.cibFile } : {};
  }

  /** argv that starts a host's sshd: inside its node's namespaces when the cluster is real. */
  wrapHostSshd(host: LabHost, argv: string[]): string[] {
    const node = this.hostNodes.get(host.id);
    return this.real && node ? this.real.wrapSshd(node, host.address, host.sshPort, argv) : argv;
  }

  async start(ctx: LabContext): Promise<void> {
    const hosts = ctx.hosts.filter((h) => h.roles.includes('pacemaker'));
    if (hosts.length !== NODES.length) {
      throw new Error(`pacemaker needs ${NODES.length} hosts with the 'pacemaker' role, the lab has ${hosts.length} (${hosts.map((h) => h.id).join(', ')})`);
    }
    hosts.forEach((h, i) => this.hostNodes.set(h.id, NODES[i]!));
    const unavailable = this.options.mode === 'cib-file' ? 'CIB-file mode asked for' : realClusterUnavailable();
    if (unavailable === undefined && (await this.startReal(ctx))) {
      ctx.log(`pacemaker: real cluster: ${NODES.map((n, i) => `${n} (sshd of ${hosts[i]!.id})`).join(', ')}; VIP ${VIP}; ${FENCING_NOTE}`);
      return;
    }
    this.cibFileReason ||= unavailable ?? '';
    const dir = join(ctx.dir, 'pacemaker');
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755); // the lab's login user reaches cib.xml through it
    const store = new CibStore(join(dir, 'cib.xml'));
    const base = initialCib();
    await store.transact(async (work) => {
      await runPcmkTool('crm_verify', ['--xml-file', work], work);
      await recordDcVersion(work);
      const up = NODES.flatMap((n) => ['--node-up', n]);
      await runScheduler(work, [...up, '--quorum', '1']);
      await recordDc(work, electDc(readMembership(base), NODES));
    }, base);
    this.store = store;
    this.loop = startConvergeLoop(store, { signal: ctx.signal, log: ctx.log });
    const view = await readClusterView(store.path);
    ctx.log(`pacemaker: CIB file (${this.cibFileReason}): ${NODES.map((n, i) => `${n} on ${hosts[i]!.id}`).join(', ')}; ${whereRuns(view, GROUP_ID)}; CIB ${store.path}`);
  }

  /**
   * The real cluster; false (with the reason kept) when the kernel refused
   * its network. Any other failure is the lab's to report: it is thrown.
   */
  private async startReal(ctx: LabContext): Promise<boolean> {
    const real = new RealCluster(ctx, this.options.loginUser);
    try {
      await real.start();
    } catch (err) {
      await real.stop().catch(() => undefined);
      const message = (err as Error).message;
      if (!message.startsWith('ip ')) throw err;
      this.cibFileReason = `the kernel refused the real cluster's network: ${message}`;
      ctx.log(`pacemaker: ${this.cibFileReason}; running the CIB-file cluster instead`);
      return false;
    }
    this.real = real;
    return true;
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
    const real = this.real;
    this.real = undefined;
    await real?.stop();
  }

  async status(): Promise<ComponentStatus> {
    if (this.real) return this.realStatus(this.real);
    if (!this.store) return { name: this.name, healthy: false, detail: 'not started', failed: [] };
    return this.describe(await readClusterView(this.store.path), `CIB file (${this.cibFileReason})`);
  }

  private async realStatus(real: RealCluster): Promise<ComponentStatus> {
    let view: ClusterView;
    try {
      view = await real.view();
    } catch (err) {
      return { name: this.name, mode: 'real', healthy: false, detail: `real cluster: crm_mon: ${(err as Error).message}`, failed: real.nodes.filter((n) => n.crashed).map((n) => `pacemaker:${n.node}`) };
    }
    return this.describe(view, `real cluster, DC ${view.dc ?? 'none'}, VIP ${VIP}`);
  }

  private describe(view: ClusterView, mode: string): ComponentStatus {
    const online = view.nodes.filter((n) => n.online);
    const standby = online.filter((n) => n.standby).length;
    const failed = [
      ...view.nodes.filter((n) => !n.online).map((n) => `pacemaker:${n.name}`),
      ...new Set(view.failures.map((f) => `pacemaker:resource:${f.resource}`)),
    ];
    const detail = [
      `${mode}: ${online.length}/${view.nodes.length} nodes online`,
      ...(standby > 0 ? [`${standby} standby`] : []),
      ...(view.quorum ? [] : ['no quorum']),
      whereRuns(view, GROUP_ID),
      `${view.failures.length} failed action${view.failures.length === 1 ? '' : 's'}`,
      FENCING_NOTE,
    ].join(', ');
    const healthy = failed.length === 0 && view.quorum && (view.placement.get(GROUP_ID) ?? []).length > 0;
    return { name: this.name, mode: this.mode, healthy, detail, failed };
  }

  owns(target: string): boolean {
    return target.startsWith('pacemaker:');
  }

  async fail(target: string, tookEffect?: (at?: number) => void): Promise<string> {
    const t = this.parseTarget(target);
    if (this.real) return t.kind === 'node' ? failNode(this.real, this.real.node(t.node), tookEffect) : failRealResource(this.real, t.id, tookEffect);
    const store = this.started();
    const before = await readClusterView(store.path);
    if (t.kind === 'node') {
      if (!(await setNodeUp(store, t.node, false))) return `${t.node} is already down`;
      tookEffect?.(store.lastCommitAt);
      const after = await readClusterView(store.path);
      const quorum = after.quorum ? '' : '; quorum lost: no-quorum-policy=stop stops every resource';
      return `${t.node} failed${quorum}; ${describeMoves(before, after) ?? 'no resource had to move'}`;
    }
    const node = await failResource(store, t.id);
    tookEffect?.(store.lastCommitAt);
    const after = await readClusterView(store.path);
    const count = after.failCounts.get(`${t.id}@${node}`) ?? 0;
    const reaction = describeMoves(before, after) ?? `Pacemaker restarted it on ${node}`;
    return `${t.id} failed on ${node} (monitor: not running), fail-count ${count}; ${reaction}`;
  }

  async heal(target: string): Promise<string> {
    const t = this.parseTarget(target);
    if (this.real) return t.kind === 'node' ? healNode(this.real, this.real.node(t.node)) : healResource(this.real, t.id);
    const store = this.started();
    const before = await readClusterView(store.path);
    if (t.kind === 'node') {
      if (!(await setNodeUp(store, t.node, true))) return `${t.node} is already online`;
      const after = await readClusterView(store.path);
      return `${t.node} is back online; ${describeMoves(before, after) ?? 'resources stay where they are (resource-stickiness)'}`;
    }
    const hadFailures = before.failures.some((f) => f.resource === t.id) || [...before.failCounts.keys()].some((k) => k.startsWith(`${t.id}@`));
    if (!hadFailures) return `${t.id} has no failures to clean up`;
    await clearResourceFailures(store, t.id);
    const after = await readClusterView(store.path);
    const moves = describeMoves(before, after);
    return `${t.id} cleaned up: failed actions and fail counts cleared${moves ? `; ${moves}` : ''}`;
  }

  private started(): CibStore {
    if (!this.store || !this.loop) throw new Error('pacemaker is not running: start the lab first');
    return this.store;
  }

  private parseTarget(target: string): Target {
    if (NODE_TARGETS.includes(target)) return { kind: 'node', node: target.slice('pacemaker:'.length) };
    if (RESOURCE_TARGETS.includes(target)) return { kind: 'resource', id: target.slice('pacemaker:resource:'.length) };
    throw new Error(`unknown Pacemaker target '${target}': use one of ${this.targets.join(', ')}`);
  }
}
