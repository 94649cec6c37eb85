// Debian's nginx on lb1 (config in nginx-config.ts): a reverse proxy in
// front of HAProxy's frontend with a stub_status page, for baton's NGINX
// probe. `fail nginx:<lb>` stops it with `nginx -s stop`; `heal` starts it
// again (its counters restart from zero, as after any real restart).
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { ComponentStatus, LabComponent, LabContext, LabHost } from './component.js';
import { httpGet } from './http-get.js';
import { LAB_HAPROXY, LAB_NGINX } from './layout.js';
import { nginxConfig } from './nginx-config.js';
import { killTree, waitGone } from './process-tree.js';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const STUB_STATUS = /^Active connections:\s*(\d+)\s*\nserver accepts handled requests\s*\n\s*\d+\s+\d+\s+(\d+)/;

type ExecError = { stderr?: string; stdout?: string; message: string };
const execText = (err: ExecError) => (err.stderr || err.stdout || err.message).trim();

export class NginxComponent implements LabComponent {
  readonly name = 'nginx';
  targets: string[] = [];
  private ctx?: LabContext;
  private lb?: LabHost;
  private pid?: number;

  private get dir(): string {
    if (!this.ctx) throw new Error('nginx: not started');
    return join(this.ctx.dir, 'nginx');
  }

  private get configFile(): string {
    return join(this.dir, 'nginx.conf');
  }

  private get logFile(): string {
    if (!this.ctx) throw new Error('nginx: not started');
    return join(this.ctx.dir, 'logs', 'nginx.log'); // where ctx.spawnDaemon writes
  }

  /** The stub_status URL, as seen from lb1 (and from this machine: it is all loopback). */
  get statusUrl(): string {
    if (!this.lb) throw new Error('nginx: not started');
    return `http://${this.lb.address}:${LAB_NGINX.port}${LAB_NGINX.statusPath}`;
  }

  async start(ctx: LabContext): Promise<void> {
    const lb = ctx.hosts.find((h) => h.roles.includes('lb'));
    if (!lb) throw new Error('nginx: the lab has no lb host');
    this.ctx = ctx;
    this.lb = lb;
    this.targets = [`nginx:${lb.id}`];
    await rm(this.dir, { recursive: true, force: true });
    // nginx creates each temp path but not their parent.
    await mkdir(join(this.dir, 'temp'), { recursive: true });
    const config = nginxConfig({ lbAddress: lb.address, dir: this.dir, accessLog: join(ctx.dir, 'logs', 'nginx-access.log') });
    await writeFile(this.configFile, config);
    await run('nginx', ['-t', '-q', '-c', this.configFile, '-g', 'daemon off;']).catch((err: ExecError) => {
      throw new Error(`nginx rejected ${this.configFile}:\n${execText(err)}`);
    });
    const ms = await this.launch();
    ctx.log(`nginx: ${lb.id} ${lb.address}:${LAB_NGINX.port} -> HAProxy :${LAB_HAPROXY.frontendPort}, stub_status ${this.statusUrl}, ready in ${ms} ms`);
  }

  /** Starts nginx in the foreground as a lab daemon; resolves with how long it took to answer. */
  private async launch(): Promise<number> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('nginx: not started');
    const t0 = Date.now();
    const pid = await ctx.spawnDaemon('nginx', 'nginx', ['-c', this.configFile, '-g', 'daemon off;']);
    this.pid = pid;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // Ready when stub_status answers and the pid file names our process, not some other nginx.
    while (!((await this.stubStatus()) && (await this.pidFile()) === pid)) {
      if (await waitGone([pid], 0)) throw await this.failure('exited during startup');
      if (Date.now() > deadline || ctx.signal.aborted) throw await this.failure(`did not answer ${this.statusUrl} within ${READY_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
    return Date.now() - t0;
  }

  /** False once nginx stopped, whether by `fail` or on its own. */
  private async running(): Promise<boolean> {
    return this.pid !== undefined && !(await waitGone([this.pid], 0));
  }

  private async pidFile(): Promise<number | undefined> {
    const text = await readFile(join(this.dir, 'nginx.pid'), 'utf8').catch(() => '');
    return /^\d+$/.test(text.trim()) ? Number(text) : undefined;
  }

  private async stubStatus(): Promise<{ active: number; requests: number } | undefined> {
    const reply = await httpGet(this.statusUrl, 500);
    const m = reply?.status === 200 ? STUB_STATUS.exec(reply.body) : null;
    return m ? { active: Number(m[1]), requests: Number(m[2]) } : undefined;
  }

  private async failure(why: string): Promise<Error> {
    const log = await readFile(this.logFile, 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-8).join('\n');
    return new Error(`nginx on ${this.lb?.id ?? 'lb'} ${why}; log ${this.logFile}:\n${tail || '(empty)'}`);
  }

  async stop(): Promise<void> {
    const pid = this.pid;
    this.pid = undefined;
    this.ctx = undefined;
    if (pid !== undefined && !(await waitGone(killTree(pid), STOP_TIMEOUT_MS))) {
      throw new Error(`nginx (pid ${pid}) is still running ${STOP_TIMEOUT_MS / 1000} s after SIGKILL`);
    }
  }

  async status(): Promise<ComponentStatus> {
    if (!this.ctx || !this.lb) return { name: this.name, healthy: false, detail: 'not running', failed: [] };
    const stub = await this.stubStatus();
    if (!stub) {
      const why = !(await this.running()) ? `stopped (heal with: baton lab heal ${this.targets[0]})` : `see ${this.logFile}`;
      return { name: this.name, healthy: false, detail: `${this.statusUrl} does not answer: ${why}`, failed: [...this.targets] };
    }
    return {
      name: this.name,
      healthy: true,
      detail: `${this.lb.id} ${this.lb.address}:${LAB_NGINX.port} -> HAProxy :${LAB_HAPROXY.frontendPort}; stub_status: ${stub.active} active, ${stub.requests} requests`,
      failed: [],
    };
  }

  owns(target: string): boolean {
    return this.targets.includes(target);
  }

  private check(target: string): void {
    if (!this.owns(target)) throw new Error(`no nginx target ${target}; known: ${this.targets.join(', ') || 'none (nginx is not running)'}`);
  }

  async fail(target: string): Promise<string> {
    this.check(target);
    const pid = this.pid;
    if (pid === undefined || !(await this.running())) throw new Error(`${target} is already failed (nginx is stopped); heal it first with \`baton lab heal ${target}\``);
    // The operator's way: SIGTERM through the pid file (a fast shutdown).
    await run('nginx', ['-q', '-c', this.configFile, '-s', 'stop']).catch((err: ExecError) => {
      throw new Error(`nginx -s stop failed: ${execText(err)}`);
    });
    this.pid = undefined;
    if (!(await waitGone([pid], STOP_TIMEOUT_MS)) && !(await waitGone(killTree(pid), STOP_TIMEOUT_MS))) {
      throw new Error(`nginx (pid ${pid}) is still running after nginx -s stop and SIGKILL`);
    }
    return `stopped nginx on ${this.lb?.id} (${this.lb?.address}:${LAB_NGINX.port}) with nginx -s stop; its stub_status and the proxy to HAProxy no longer answer`;
  }

  async heal(target: string): Promise<string> {
    this.check(target);
    if (await this.running()) throw new Error(`${target} is not failed: nginx runs (pid ${this.pid})`);
    const ms = await this.launch();
    return `started nginx on ${this.lb?.id} again in ${ms} ms; its stub_status counters restart from 0`;
  }
}
