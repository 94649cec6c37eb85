// HAProxy on every LB (lb1, and its standby lb2), each its own master-worker
// process with the same haproxy.cfg (config in haproxy-config.ts) kept in
// the LB's deploy root, plus the backends' backup "sorry" server on lb1. A
// reload is real: the master re-reads the file on `reload` at its master
// socket (what the lab's haproxy-cfg sync set runs). It has no fault targets
// of its own: failing a web app (apps-component) is what it reacts to.
import { execFile } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appServerPath, waitHealthy } from './apps-component.js';
import { chownTree } from './chown-tree.js';
import type { ComponentStatus, LabComponent, LabContext, LabHost } from './component.js';
import { HAPROXY_CFG, haproxyConfig, haproxyRunDir, lbEnvironment } from './haproxy-config.js';
import { adminCommand, serverStates } from './haproxy-socket.js';
import { isPrimaryLb, LAB_HAPROXY, type LabHostSpec } from './layout.js';
import { accepts } from './loopback.js';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 10_000;

interface Lb {
  host: LabHost;
  runDir: string;
  config: string;
}

export class HaproxyComponent implements LabComponent {
  readonly name = 'haproxy';
  readonly targets: readonly string[] = [];
  private ctx?: LabContext;
  private lbs: Lb[] = [];

  /** socketGroup: a group allowed on the admin and master sockets besides their owner, and who owns haproxy.cfg (the lab user, when root). */
  constructor(private readonly socketGroup?: string) {}

  /** The first LB's admin socket (DIR/haproxy/admin.sock). */
  get adminSocket(): string {
    const lb = this.lbs[0];
    if (!lb) throw new Error('haproxy: not started');
    return join(lb.runDir, 'admin.sock');
  }

  /** An LB's sessions get its address and run dir, so `haproxy -c` and the reload there see what the daemon sees. */
  sshEnvironment(host: LabHostSpec): Record<string, string> {
    const lb = this.lbs.find((l) => l.host.id === host.id);
    return lb ? lbEnvironment(lb.host.address, lb.runDir) : {};
  }

  async start(ctx: LabContext): Promise<void> {
    this.ctx = ctx;
    const hosts = ctx.hosts.filter((h) => h.roles.includes('lb'));
    const primary = hosts[0];
    if (!primary) throw new Error('haproxy: the lab has no lb host');
    this.lbs = hosts.map((host) => ({ host, runDir: haproxyRunDir(ctx.dir, host.id, isPrimaryLb(host, ctx.hosts)), config: join(host.rootDir, HAPROXY_CFG) }));
    const webServers = ctx.hosts.filter((h) => h.roles.includes('web')).map((h) => ({ id: h.id, address: h.address }));
    const text = haproxyConfig({ webServers, sorryAddress: primary.address, socketGroup: this.socketGroup });
    await Promise.all(this.lbs.map((lb) => this.startLb(lb, text, lb.host === primary)));
  }

  private daemonName(lb: Lb): string {
    return lb === this.lbs[0] ? 'haproxy' : `haproxy-${lb.host.id}`;
  }

  private async startLb(lb: Lb, text: string, primary: boolean): Promise<void> {
    const ctx = this.ctx!;
    await rm(lb.runDir, { recursive: true, force: true });
    await mkdir(lb.runDir, { recursive: true });
    if (primary) await this.startSorry(ctx, lb);
    const configDir = join(lb.host.rootDir, 'haproxy');
    await mkdir(configDir, { recursive: true });
    await writeFile(lb.config, text);
    if (this.socketGroup) chownTree(configDir, this.socketGroup);
    const env = lbEnvironment(lb.host.address, lb.runDir);
    await run('haproxy', ['-c', '-q', '-f', lb.config], { env: { ...process.env, ...env } }).catch((err: { stderr?: string; stdout?: string; message: string }) => {
      throw new Error(`haproxy rejected ${lb.config}:\n${(err.stderr || err.stdout || err.message).trim()}`);
    });
    const master = `${join(lb.runDir, 'master.sock')},${this.socketGroup ? `mode,660,group,${this.socketGroup}` : 'mode,600'}`;
    // -W -db: a master in the foreground (logs on stderr, into logs/<name>.log) that reloads on its socket's `reload`.
    const name = this.daemonName(lb);
    await ctx.spawnDaemon(name, 'haproxy', ['-W', '-db', '-f', lb.config, '-S', master], { env });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await accepts(lb.host.address, LAB_HAPROXY.frontendPort)) || !(await this.stat(lb).then(() => true, () => false))) {
      if (Date.now() > deadline || ctx.signal.aborted) throw new Error(`haproxy on ${lb.host.id} did not start within ${READY_TIMEOUT_MS / 1000} s; see ${join(ctx.dir, 'logs', `${name}.log`)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    ctx.log(`haproxy on ${lb.host.id}: frontend ${lb.host.address}:${LAB_HAPROXY.frontendPort}, config ${lb.config}, sockets in ${lb.runDir}`);
  }

  /** The backup server: the lab's app server, serving a "sorry" release. */
  private async startSorry(ctx: LabContext, lb: Lb): Promise<void> {
    const root = join(lb.runDir, 'sorry');
    await mkdir(join(root, 'releases', 'sorry'), { recursive: true });
    await writeFile(join(root, 'releases', 'sorry', 'version'), 'sorry: every web server is down\n');
    await symlink('releases/sorry', join(root, 'current'));
    const port = String(LAB_HAPROXY.backupPort);
    await ctx.spawnDaemon('haproxy-sorry', process.execPath, [appServerPath(), '--name', 'sorry', '--address', lb.host.address, '--port', port, '--root', root]);
    const url = `http://${lb.host.address}:${port}/health`;
    if (!(await waitHealthy(url, READY_TIMEOUT_MS, ctx.signal))) throw new Error(`the sorry server did not answer ${url}; see ${join(ctx.dir, 'logs', 'haproxy-sorry.log')}`);
  }

  private stat(lb: Lb): Promise<string> {
    return adminCommand(join(lb.runDir, 'admin.sock'), 'show stat');
  }

  async stop(): Promise<void> {
    // The daemons are the supervisor's (DaemonSet); the unix socket files are ours.
    await Promise.all(this.lbs.flatMap((lb) => ['admin.sock', 'master.sock'].map((s) => rm(join(lb.runDir, s), { force: true }))));
  }

  async status(): Promise<ComponentStatus> {
    const lines = await Promise.all(
      this.lbs.map(async (lb) => {
        try {
          const states = serverStates(await this.stat(lb));
          const servers = [...states].filter(([k]) => k.startsWith('web/') && k !== 'web/BACKEND' && k !== 'web/FRONTEND');
          return { ok: true, text: `${lb.host.id}: frontend ${lb.host.address}:${LAB_HAPROXY.frontendPort}, backend web: ${servers.map(([k, v]) => `${k.slice(4)} ${v}`).join(', ')}` };
        } catch (err) {
          return { ok: false, text: `${lb.host.id}: admin socket: ${(err as Error).message}` };
        }
      }),
    );
    return { name: this.name, healthy: lines.length > 0 && lines.every((l) => l.ok), detail: lines.map((l) => l.text).join('; ') || 'not started', failed: [] };
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
