// HAProxy in front of the web apps (config in haproxy-config.ts), plus its
// backup "sorry" server on lb1. It has no fault targets of its own: failing a
// web app (apps-component) is what it reacts to.
import { execFile } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appServerPath, waitHealthy } from './apps-component.js';
import type { ComponentStatus, LabComponent, LabContext } from './component.js';
import { haproxyConfig } from './haproxy-config.js';
import { adminCommand, serverStates } from './haproxy-socket.js';
import { LAB_HAPROXY } from './layout.js';
import { accepts } from './loopback.js';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 10_000;

export class HaproxyComponent implements LabComponent {
  readonly name = 'haproxy';
  readonly targets: readonly string[] = [];
  private ctx?: LabContext;
  private lbAddress = '';

  /** socketGroup: a group allowed on the admin socket besides its owner (the lab user's, when root). */
  constructor(private readonly socketGroup?: string) {}

  get adminSocket(): string {
    if (!this.ctx) throw new Error('haproxy: not started');
    return join(this.ctx.dir, 'haproxy', 'admin.sock');
  }

  async start(ctx: LabContext): Promise<void> {
    this.ctx = ctx;
    const lb = ctx.hosts.find((h) => h.roles.includes('lb'));
    if (!lb) throw new Error('haproxy: the lab has no lb host');
    this.lbAddress = lb.address;
    const dir = join(ctx.dir, 'haproxy');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await this.startSorry(ctx, dir);

    const config = join(dir, 'haproxy.cfg');
    const webServers = ctx.hosts.filter((h) => h.roles.includes('web')).map((h) => ({ id: h.id, address: h.address }));
    await writeFile(config, haproxyConfig({ lbAddress: lb.address, webServers, adminSocket: this.adminSocket, socketGroup: this.socketGroup }));
    await run('haproxy', ['-c', '-q', '-f', config]).catch((err: { stderr?: string; stdout?: string; message: string }) => {
      throw new Error(`haproxy rejected ${config}:\n${(err.stderr || err.stdout || err.message).trim()}`);
    });
    // -db: foreground, one process, logs on stderr (into logs/haproxy.log).
    await ctx.spawnDaemon('haproxy', 'haproxy', ['-db', '-f', config]);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await accepts(lb.address, LAB_HAPROXY.frontendPort)) || !(await this.stat().then(() => true, () => false))) {
      if (Date.now() > deadline || ctx.signal.aborted) throw new Error(`haproxy did not start within ${READY_TIMEOUT_MS / 1000} s; see ${join(ctx.dir, 'logs', 'haproxy.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    ctx.log(`haproxy: frontend ${lb.address}:${LAB_HAPROXY.frontendPort}, stats socket ${this.adminSocket} and ${lb.address}:${LAB_HAPROXY.statsTcpPort}`);
  }

  /** The backup server: the lab's app server, serving a "sorry" release. */
  private async startSorry(ctx: LabContext, dir: string): Promise<void> {
    const root = join(dir, 'sorry');
    await mkdir(join(root, 'releases', 'sorry'), { recursive: true });
    await writeFile(join(root, 'releases', 'sorry', 'version'), 'sorry: every web server is down\n');
    await symlink('releases/sorry', join(root, 'current'));
    const port = String(LAB_HAPROXY.backupPort);
    await ctx.spawnDaemon('haproxy-sorry', process.execPath, [appServerPath(), '--name', 'sorry', '--address', this.lbAddress, '--port', port, '--root', root]);
    const url = `http://${this.lbAddress}:${port}/health`;
    if (!(await waitHealthy(url, READY_TIMEOUT_MS, ctx.signal))) throw new Error(`the sorry server did not answer ${url}; see ${join(ctx.dir, 'logs', 'haproxy-sorry.log')}`);
  }

  private stat(): Promise<string> {
    return adminCommand(this.adminSocket, 'show stat');
  }

  async stop(): Promise<void> {
    // The daemons are the supervisor's (DaemonSet); the unix socket file is ours.
    if (this.ctx) await rm(this.adminSocket, { force: true });
  }

  async status(): Promise<ComponentStatus> {
    try {
      const states = serverStates(await this.stat());
      const servers = [...states].filter(([k]) => k.startsWith('web/') && k !== 'web/BACKEND' && k !== 'web/FRONTEND');
      const summary = servers.map(([k, v]) => `${k.slice(4)} ${v}`).join(', ');
      return {
        name: this.name,
        healthy: true,
        detail: `frontend ${this.lbAddress}:${LAB_HAPROXY.frontendPort}, backend web: ${summary}`,
        failed: [],
      };
    } catch (err) {
      return { name: this.name, healthy: false, detail: `admin socket: ${(err as Error).message}`, failed: [] };
    }
  }

  owns(): boolean {
    return false;
  }

  fail(target: string): Promise<string> {
    return Promise.reject(new Error(`haproxy has no fault target ${target}; fail a web app (app:web1) instead`));
  }

  heal(target: string): Promise<string> {
    return this.fail(target);
  }
}
