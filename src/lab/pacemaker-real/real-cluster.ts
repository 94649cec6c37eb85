// The lab's Pacemaker cluster for real (as root): three nodes, each a set of
// namespaces with its own corosync and pacemakerd, on a bridge of their own;
// the resources' agents really run (the VIP is on a node's eth0, nginx
// answers on it). The lab's hosts web1-3 are the nodes' SSH side: their
// sshd runs in the node's namespaces, so crm_mon in a session there asks that
// node's daemons, as on any cluster node.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { LabContext } from '../component.js';
import { readClusterView, type ClusterView } from '../pacemaker/crm-mon.js';
import { GROUP_ID, NODES } from '../pacemaker/cluster-definition.js';
import { listenThenExec } from './listen-then-exec.js';
import { createNetwork, removeNetwork } from './node-network.js';
import { nginxConf, realCib, type NodeName } from './real-cluster-files.js';
import { RealNode, type ClusterOwner } from './real-node.js';

const run = promisify(execFile);
/** lab up gives the whole lab 30 s: the cluster's own wait ends first, so its reason is what gets printed. */
const READY_TIMEOUT_MS = 25_000;
/** Longest a recovery (stop, start of a group elsewhere) is waited for. */
const SETTLE_TIMEOUT_S = 30;
/** Members of this group may ask the cluster (crm_mon) without being root. */
const CLUSTER_CLIENTS_GROUP = 'haclient';

async function owner(user: string): Promise<ClusterOwner> {
  const [u, g] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(u.stdout), gid: Number(g.stdout) };
}

/** All three nodes online, web-group started, the ping clone on every node. */
export function clusterReady(view: ClusterView): boolean {
  return view.nodes.length === NODES.length && view.nodes.every((n) => n.online) && (view.placement.get(GROUP_ID) ?? []).length === 1 && (view.placement.get('ping-clone') ?? []).length === NODES.length;
}

export class RealCluster {
  readonly nodes: RealNode[];
  private networkMade = false;
  private inHaclient = false;

  /** loginUser: the lab's SSH login user, added to haclient so crm_mon over SSH works. */
  constructor(
    private readonly ctx: LabContext,
    private readonly loginUser: string | undefined,
  ) {
    this.nodes = NODES.map((n) => new RealNode(n, ctx));
  }

  node(name: string): RealNode {
    const node = this.nodes.find((n) => n.node === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  /**
   * Makes the network (rejects with the refused `ip` command when the kernel
   * lacks a feature, leaving nothing behind), then creates and boots the
   * three nodes at once and waits until the cluster runs its resources.
   */
  async start(): Promise<void> {
    await createNetwork(this.ctx.dir);
    this.networkMade = true;
    if (this.loginUser) {
      await run('usermod', ['--append', '--groups', CLUSTER_CLIENTS_GROUP, this.loginUser]);
      this.inHaclient = true;
    }
    await mkdir(join(this.ctx.dir, 'pacemaker'), { recursive: true });
    const nginx = join(this.ctx.dir, 'pacemaker', 'nginx.conf');
    await writeFile(nginx, nginxConf());
    const cib = realCib(nginx);
    const hacluster = await owner('hacluster');
    await Promise.all(this.nodes.map((n) => n.create(cib, hacluster)));
    await Promise.all(this.nodes.map((n) => n.boot()));
    await this.waitFor('all three nodes online with web-group and ping-clone started', READY_TIMEOUT_MS, clusterReady);
  }

  async stop(): Promise<void> {
    const errors: string[] = [];
    for (const n of this.nodes) await n.destroy().catch((err: Error) => errors.push(err.message));
    if (this.networkMade) await removeNetwork();
    this.networkMade = false;
    if (this.inHaclient && this.loginUser) await run('gpasswd', ['--delete', this.loginUser, CLUSTER_CLIENTS_GROUP]).catch(() => undefined);
    this.inHaclient = false;
    if (errors.length) throw new Error(errors.join('; '));
  }

  /** A node whose cluster stack runs, to ask; the first one when all are down (its crm_mon then says so). */
  private askedNode(): RealNode {
    return this.nodes.find((n) => !n.crashed && n.initPid !== undefined) ?? this.nodes[0]!;
  }

  /** crm_mon on a live node, as root there. */
  view(signal?: AbortSignal): Promise<ClusterView> {
    const asked = this.askedNode();
    return readClusterView(undefined, signal ?? this.ctx.signal, asked.via());
  }

  /** Polls crm_mon until `check` holds; rejects with what it last saw after `timeoutMs`. */
  async waitFor(what: string, timeoutMs: number, check: (view: ClusterView) => boolean): Promise<ClusterView> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer from crm_mon yet';
    for (;;) {
      try {
        const view = await this.view();
        if (check(view)) return view;
        last = `nodes ${view.nodes.map((n) => `${n.name} ${n.online ? 'online' : 'offline'}`).join(', ')}; ${[...view.placement].map(([id, on]) => `${id} on ${on.join(',') || 'nothing'}`).join('; ')}`;
      } catch (err) {
        last = (err as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`pacemaker: ${what}: not within ${timeoutMs / 1000} s; last seen: ${last}`);
      await sleep(250, undefined, { signal: this.ctx.signal });
    }
  }

  /** crm_mon once the cluster has carried out what it decided (crm_resource --wait), bounded. */
  async settled(): Promise<ClusterView> {
    await this.askedNode().run(['crm_resource', '--wait', `--timeout=${SETTLE_TIMEOUT_S}s`], (SETTLE_TIMEOUT_S + 5) * 1000);
    return this.view();
  }

  /**
   * argv that starts a host's sshd inside the node's namespaces (with its
   * mount namespace's /proc showing every process again, as sessions expect),
   * still listening on the host's loopback address in this namespace.
   */
  wrapSshd(node: NodeName, address: string, port: number, argv: readonly string[]): string[] {
    const proc = 'mount -t proc proc /proc && exec "$@"';
    return listenThenExec(address, port, [...this.node(node).via(), 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', proc, 'baton-lab-sshd', ...argv]);
  }
}
