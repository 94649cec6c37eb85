// The web app on every web host: release v1 in <rootDir>/releases/v1, a
// `current` link to it, and bin/app-start|app-stop|app-status, through which
// the lab (and deploys, with bin/app-restart) start, stop and restart it. Failing an app stops it with
// its own script, so HAProxy's health check sees it go DOWN.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { APP_CONFIG_DIR, APP_CONFIG_FILE, appConfigSource, appConfigText, writeAppConfig } from './app-config.js';
import { appRestartScript, appStartScript, appStatusScript, appStopScript, type AppScriptParams } from './app-scripts.js';
import { chownTree } from './chown-tree.js';
import type { ComponentStatus, LabComponent, LabContext, LabHost } from './component.js';
import { onHost } from './host-view.js';
import { httpGet } from './http-get.js';
import { LAB_APP_PORT } from './layout.js';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 10_000;

/** The built app server; under vitest this module is the .ts source, so look in dist. */
export function appServerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? join(dirname(here), '../../dist/lab/app-server.js') : join(dirname(here), 'app-server.js');
  if (!existsSync(file)) throw new Error(`${file} is missing; run: npm run build`);
  return file;
}

export async function waitHealthy(url: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    if ((await httpGet(url, 500))?.status === 200) return true;
    await sleep(100);
  }
  return false;
}

export class AppsComponent implements LabComponent {
  readonly name = 'apps';
  targets: string[] = [];
  private ctx?: LabContext;

  /** user: who runs the apps and owns the host areas (the lab's login user when root). */
  constructor(private readonly user?: string) {}

  private webHosts(): LabHost[] {
    return (this.ctx?.hosts ?? []).filter((h) => h.roles.includes('web'));
  }

  private params(host: LabHost): AppScriptParams {
    return { name: host.id, address: host.address, port: LAB_APP_PORT, root: host.rootDir, node: process.execPath, server: appServerPath() };
  }

  async start(ctx: LabContext): Promise<void> {
    this.ctx = ctx;
    const hosts = this.webHosts();
    this.targets = hosts.map((h) => `app:${h.id}`);
    await writeAppConfig(appConfigSource(ctx.dir));
    await Promise.all(hosts.map((h) => this.install(h)));
    await Promise.all(hosts.map((h) => this.launch(h)));
  }

  private async install(host: LabHost): Promise<void> {
    const root = host.rootDir;
    const p = this.params(host);
    await mkdir(join(root, 'releases', 'v1'), { recursive: true });
    await mkdir(join(root, 'bin'), { recursive: true });
    await mkdir(join(root, APP_CONFIG_DIR), { recursive: true });
    await writeFile(join(root, APP_CONFIG_DIR, APP_CONFIG_FILE), appConfigText());
    await writeFile(join(root, 'releases', 'v1', 'version'), 'v1\n');
    await symlink('releases/v1', join(root, 'current')); // relative: valid as /srv/baton/current too
    await writeFile(join(root, 'bin', 'app-start'), appStartScript(p), { mode: 0o755 });
    await writeFile(join(root, 'bin', 'app-stop'), appStopScript(p), { mode: 0o755 });
    await writeFile(join(root, 'bin', 'app-status'), appStatusScript(p), { mode: 0o755 });
    await writeFile(join(root, 'bin', 'app-restart'), appRestartScript(p), { mode: 0o755 });
    if (this.user) chownTree(root, this.user);
  }

  /** Starts the app through its own script, as a daemon the supervisor tracks. */
  private async launch(host: LabHost): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('apps: not started');
    const [command = 'sh', ...args] = onHost(ctx.dir, host.rootDir, ['sh', join(host.rootDir, 'bin', 'app-start'), '--foreground'], this.user);
    await ctx.spawnDaemon(`app-${host.id}`, command, args);
    const url = `http://${host.address}:${LAB_APP_PORT}/health`;
    if (!(await waitHealthy(url, READY_TIMEOUT_MS, ctx.signal))) {
      throw new Error(`the app of ${host.id} did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s; see ${join(ctx.dir, 'logs', `app-${host.id}.log`)}`);
    }
  }

  /** Runs the host's own app-stop; resolves with what it printed. */
  private async stopApp(host: LabHost): Promise<string> {
    const r = await run('sh', [join(host.rootDir, 'bin', 'app-stop')], { timeout: 15_000 }).catch((e: { stdout?: string; stderr?: string; message: string }) => ({
      stdout: e.stdout ?? '',
      stderr: e.stderr || e.message,
    }));
    return `${r.stdout}${r.stderr}`.trim();
  }

  async stop(): Promise<void> {
    // The script also stops an app a deploy restarted, which the supervisor did not spawn.
    await Promise.all(this.webHosts().map((h) => (existsSync(join(h.rootDir, 'bin', 'app-stop')) ? this.stopApp(h) : undefined)));
  }

  async status(): Promise<ComponentStatus> {
    const hosts = this.webHosts();
    const answers = await Promise.all(
      hosts.map(async (h) => ({ id: h.id, health: await httpGet(`http://${h.address}:${LAB_APP_PORT}/health`), version: await httpGet(`http://${h.address}:${LAB_APP_PORT}/version`) })),
    );
    const down = answers.filter((a) => a.health?.status !== 200).map((a) => a.id);
    const up = answers.filter((a) => a.health?.status === 200).map((a) => `${a.id} ${a.version?.body.trim() ?? '?'}`);
    return {
      name: this.name,
      healthy: down.length === 0,
      detail: `port ${LAB_APP_PORT}: ${up.join(', ') || 'none up'}${down.length ? `; down: ${down.join(', ')}` : ''}`,
      failed: down.map((id) => `app:${id}`),
    };
  }

  owns(target: string): boolean {
    return this.targets.includes(target);
  }

  private host(target: string): LabHost {
    const host = this.webHosts().find((h) => `app:${h.id}` === target);
    if (!host) throw new Error(`no web app ${target}; known: ${this.targets.join(', ')}`);
    return host;
  }

  async fail(target: string): Promise<string> {
    const host = this.host(target);
    const out = await this.stopApp(host);
    return `${out}; HAProxy marks ${host.id} DOWN after 2 failed checks (about 2 s)`;
  }

  async heal(target: string): Promise<string> {
    const host = this.host(target);
    await this.launch(host);
    return `${host.id}: app started from ${join(host.rootDir, 'current')}; HAProxy marks it UP after 2 good checks (about 2 s)`;
  }
}
