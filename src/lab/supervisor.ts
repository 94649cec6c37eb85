// The lab supervisor (`baton lab supervise`, started detached by `lab up`):
// owns every component and daemon of one lab, answers the control socket,
// and takes it all down on `lab down`, SIGTERM/SIGINT or when its time to
// live runs out. Daemons die with it (parent-death signal) if it is killed.
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { userInfo } from 'node:os';
import { epochMs, type LabContext, type LabHost } from './component.js';
import { serveControl, type LabReply, type LabRequest, type LabStatus } from './control-socket.js';
import { DaemonSet } from './daemons.js';
import { missingBinaries, missingBinariesMessage, withSbin } from './debian-packages.js';
import { deployRootSeenBy, labIsRoot } from './host-view.js';
import { labComponents, startComponents, stopComponents, type LabComponents } from './lab-components.js';
import { driftFile } from './lab-drift.js';
import { labInventoryYaml } from './lab-inventory.js';
import { labFiles } from './lab-paths.js';
import { ensureLabUser } from './lab-user.js';
import { busyLabPorts } from './lab-ports.js';
import { labHosts, LAB_SSH_PORT, type LabExtras, type LabHostSpec } from './layout.js';
import { freePort, portFreeOn } from './loopback.js';
import { treeMemory } from './process-memory.js';

export interface SupervisorOptions {
  dir: string;
  hosts: number;
  ttlMs: number;
  /** Optional services (`lab up --with rabbitmq`). */
  extras?: LabExtras;
  log: (line: string) => void;
}

export class LabSupervisor {
  private readonly files;
  private readonly abort = new AbortController();
  private readonly daemons;
  private components?: LabComponents;
  private server?: Server;
  private hosts: LabHost[] = [];
  private readonly notes: string[] = [];
  private readonly startedAt = new Date();
  private startMs = 0;
  /** The lab user when root; undefined: sessions log in as the current user. */
  private loginUser?: string;
  private user = '';
  private stopping?: Promise<void>;
  private ready = false;
  /** A signal or `down` that came while starting: acted on once start settles. */
  private pendingStop?: string;
  private ttlTimer?: NodeJS.Timeout;
  /** Resolves once the lab is down, whatever brought it down. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(private readonly options: SupervisorOptions) {
    this.files = labFiles(options.dir);
    this.daemons = new DaemonSet(this.files.logs);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Starts everything; rejects (with everything stopped again) when the lab cannot start. */
  async start(): Promise<void> {
    const { dir, log } = this.options;
    process.env.PATH = withSbin(process.env.PATH ?? '');
    const extras = this.options.extras ?? {};
    const missing = missingBinaries(undefined, extras);
    if (missing.length) throw new Error(missingBinariesMessage(missing));
    const specs = labHosts(this.options.hosts, extras);
    const busy = await busyLabPorts(specs, extras);
    if (busy.length) {
      const list = `${busy.slice(0, 3).join(', ')}${busy.length > 3 ? ` and ${busy.length - 3} more` : ''}`;
      throw new Error(`${list} already in use: is another lab running? (baton lab status --dir DIR; baton lab down --dir DIR)`);
    }
    this.loginUser = ensureLabUser();
    this.user = this.loginUser ?? userInfo().username;
    // As root the lab user's sessions read sockets and files here.
    await mkdir(dir, { recursive: true, mode: 0o711 });
    if (labIsRoot()) await chmod(dir, 0o711);
    await writeFile(this.files.supervisorPid, `${process.pid}\n`);
    try {
      await this.startAll(specs);
    } catch (err) {
      this.abort.abort();
      await stopComponents(this.components?.all ?? [], log);
      await this.daemons.stopAll();
      await this.cleanup();
      this.resolveDone();
      throw err;
    }
    this.ready = true;
    this.startMs = Date.now() - this.startedAt.getTime();
    for (const note of this.notes) log(`note: ${note}`);
    log(`ready in ${this.startMs} ms: ${this.files.inventory}`);
    this.ttlTimer = setTimeout(() => void this.shutdown(`its time to live (${Math.round(this.options.ttlMs / 60_000)} min) ran out`), this.options.ttlMs);
  }

  private async startAll(specs: LabHostSpec[]): Promise<void> {
    const { dir, log } = this.options;
    await rm(this.files.hostsDir, { recursive: true, force: true }); // a fresh area per host, every start
    const addresses = specs.map((h) => h.address);
    let sshPort = LAB_SSH_PORT;
    if (!(await portFreeOn(addresses, LAB_SSH_PORT))) {
      sshPort = await freePort(addresses);
      this.notes.push(`port ${LAB_SSH_PORT} is taken on the lab addresses; SSH listens on ${sshPort} instead`);
    }
    this.hosts = await Promise.all(
      specs.map(async (h) => {
        const rootDir = this.files.hostRoot(h.id);
        await mkdir(rootDir, { recursive: true });
        return { ...h, sshPort, rootDir };
      }),
    );
    const ctx: LabContext = {
      dir,
      hosts: this.hosts,
      signal: this.abort.signal,
      log,
      spawnDaemon: (name, command, args, opts) => this.daemons.spawn(name, command, args, opts),
    };
    this.components = labComponents(this.loginUser, this.options.extras);
    await startComponents(this.components, ctx);
    await writeFile(
      this.files.inventory,
      labInventoryYaml({
        dir,
        hosts: this.hosts,
        user: this.user,
        components: this.components.all.map((c) => c.name),
        deployRoot: labIsRoot() ? undefined : (h) => deployRootSeenBy(this.files.hostRoot(h.id)),
      }),
    );
    if (this.pendingStop) throw new Error(`stopped while starting (${this.pendingStop})`);
    this.server = await serveControl(this.files.control, (r) => this.handle(r));
  }

  async status(): Promise<LabStatus> {
    const components = this.components?.all ?? [];
    const statuses = await Promise.all(
      components.map((c) => c.status().catch((err: Error) => ({ name: c.name, healthy: false, detail: `status failed: ${err.message}`, failed: [] }))),
    );
    return {
      dir: this.options.dir,
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      startMs: this.startMs,
      expiresAt: new Date(this.startedAt.getTime() + this.options.ttlMs).toISOString(),
      inventory: this.files.inventory,
      sshPort: this.hosts[0]?.sshPort ?? LAB_SSH_PORT,
      user: this.user,
      components: statuses,
      targets: components.flatMap((c) => [...c.targets]),
      memory: treeMemory(process.pid),
      notes: this.notes,
    };
  }

  private async handle(request: LabRequest): Promise<LabReply> {
    if (this.stopping) return { ok: false, error: 'the lab is shutting down' };
    switch (request.cmd) {
      case 'status':
        return { ok: true, status: await this.status() };
      case 'fail':
      case 'heal': {
        const all = this.components?.all ?? [];
        const owner = all.find((c) => c.owns(request.target));
        if (!owner) return { ok: false, error: `unknown target '${request.target}'; targets: ${all.flatMap((c) => [...c.targets]).join(', ')}` };
        let effectiveAt: number | undefined;
        const message =
          request.cmd === 'fail'
            ? await owner.fail(request.target, (at = epochMs()) => {
                effectiveAt = at;
              })
            : await owner.heal(request.target);
        this.options.log(`${request.cmd} ${request.target}: ${message}`);
        return { ok: true, message, ...(effectiveAt !== undefined && { effectiveAt }) };
      }
      case 'rates':
      {
        const rates = Object.fromEntries(Object.entries({ produce: request.produce, consume: request.consume }).filter(([, v]) => v !== undefined));
        this.components?.broker.setRates(rates);
        this.components?.rabbitmq?.setRates(rates);
        return { ok: true, message: `${this.components?.rabbitmq ? 'redis and rabbitmq' : 'broker'} rates set: ${Object.entries(rates).map(([k, v]) => `${k} ${v} msg/s`).join(', ') || 'unchanged'}` };
      }
      case 'drift': {
        const host = this.hosts.find((h) => h.id === request.host);
        if (!host) return { ok: false, error: `no host '${request.host}'; hosts: ${this.hosts.map((h) => h.id).join(', ')}` };
        const message = await driftFile(host, request.file).catch((err: Error) => err);
        if (message instanceof Error) return { ok: false, error: message.message };
        this.options.log(`drift ${host.id}: ${message}`);
        return { ok: true, message };
      }
      case 'load': {
        const message = await this.components!.load.set(request.host, request.percent);
        this.options.log(`load: ${message}`);
        return { ok: true, message };
      }
      case 'traffic': {
        const message = this.components!.traffic.set(request.rate);
        this.options.log(message);
        return { ok: true, message };
      }
      case 'down':
        setImmediate(() => void this.shutdown('lab down'));
        return { ok: true, message: 'shutting down' };
      default:
        return { ok: false, error: `unknown command ${JSON.stringify((request as { cmd?: unknown }).cmd)}` };
    }
  }

  /** Stops every component and daemon; safe to call more than once. */
  shutdown(reason: string): Promise<void> {
    if (!this.ready) {
      // start() is still running: it sees this and stops what it started.
      this.pendingStop ??= reason;
      this.abort.abort();
      return this.done;
    }
    this.stopping ??= (async () => {
      this.options.log(`shutting down: ${reason}`);
      clearTimeout(this.ttlTimer);
      this.server?.close();
      this.abort.abort();
      await stopComponents(this.components?.all ?? [], this.options.log);
      await this.daemons.stopAll();
      await this.cleanup();
      this.options.log('down');
      this.resolveDone();
    })();
    return this.stopping;
  }

  private async cleanup(): Promise<void> {
    await rm(this.files.control, { force: true });
    await rm(this.files.supervisorPid, { force: true });
  }
}
