// `lab up --with prometheus`: Debian's real prometheus and
// prometheus-alertmanager as lab daemons on mq1's address (ports off the
// defaults), their configs and data under DIR/prometheus. Prometheus scrapes
// the LBs' HAProxy exporters and etcd's /metrics each second and fires
// HaproxyBackendServerDown when a web server goes DOWN (`lab fail app:web2`)
// and EtcdNoLeader; Alertmanager holds them for baton to read. No faults of
// its own.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { httpGet } from '../http-get.js';
import { LAB_PROMETHEUS } from '../layout.js';
import { killTree, waitGone } from '../process-tree.js';
import { alertmanagerYaml, prometheusYaml, rulesYaml } from './prometheus-config.js';

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

interface Running {
  address: string;
  pids: number[];
}

export class PrometheusComponent implements LabComponent {
  readonly name = 'prometheus';
  readonly targets: readonly string[] = [];
  private running?: Running;

  async start(ctx: LabContext): Promise<void> {
    if (this.running) throw new Error('prometheus is already running');
    const mq = ctx.hosts.find((h) => h.roles.includes('mq'));
    if (!mq) throw new Error(`prometheus runs on the mq host (hosts: ${ctx.hosts.map((h) => h.id).join(', ')})`);
    const dir = join(ctx.dir, 'prometheus');
    await mkdir(join(dir, 'data'), { recursive: true });
    await mkdir(join(dir, 'alertmanager-data'), { recursive: true });
    const files = { prometheus: join(dir, 'prometheus.yml'), rules: join(dir, 'rules.yml'), alertmanager: join(dir, 'alertmanager.yml') };
    await writeFile(files.rules, rulesYaml());
    await writeFile(files.alertmanager, alertmanagerYaml());
    const addresses = (role: 'lb' | 'etcd') => ctx.hosts.filter((h) => h.roles.includes(role)).map((h) => h.address);
    await writeFile(files.prometheus, prometheusYaml({ address: mq.address, lbAddresses: addresses('lb'), etcdAddresses: addresses('etcd'), rulesFile: files.rules }));
    const running: Running = { address: mq.address, pids: [] };
    this.running = running;
    const t0 = Date.now();
    running.pids.push(
      await ctx.spawnDaemon('alertmanager', 'prometheus-alertmanager', [
        `--config.file=${files.alertmanager}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=${mq.address}:${LAB_PROMETHEUS.alertmanagerPort}`,
        // One instance: no gossip port on 0.0.0.0:9094.
        '--cluster.listen-address=',
      ]),
      await ctx.spawnDaemon('prometheus', 'prometheus', [
        `--config.file=${files.prometheus}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${mq.address}:${LAB_PROMETHEUS.prometheusPort}`,
        '--storage.tsdb.retention.time=1d',
      ]),
    );
    await this.waitReady(ctx, running);
    ctx.log(`prometheus: Prometheus ${this.url('prometheus')}, Alertmanager ${this.url('alertmanager')} on ${mq.id}, ready in ${Date.now() - t0} ms`);
  }

  url(which: 'prometheus' | 'alertmanager'): string {
    const port = which === 'prometheus' ? LAB_PROMETHEUS.prometheusPort : LAB_PROMETHEUS.alertmanagerPort;
    return `http://${this.running?.address ?? '?'}:${port}`;
  }

  private async ready(): Promise<boolean[]> {
    return Promise.all((['prometheus', 'alertmanager'] as const).map(async (w) => (await httpGet(`${this.url(w)}/-/ready`, 500))?.status === 200));
  }

  /**
   * Prometheus learns its Alertmanager from discovery, batched every 5 s; an
   * alert fired before that is sent again only after the resend delay (1 min).
   * So the lab is ready once Prometheus lists the Alertmanager as active.
   */
  private async alertmanagerKnown(): Promise<boolean> {
    const r = await httpGet(`${this.url('prometheus')}/api/v1/alertmanagers`, 500);
    return r?.status === 200 && r.body.includes(`${this.url('alertmanager')}/api/v2/alerts`);
  }

  private async waitReady(ctx: LabContext, running: Running): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!((await this.ready()).every(Boolean) && (await this.alertmanagerKnown()))) {
      if (await waitGone(running.pids, 0)) throw new Error(`prometheus or alertmanager exited during startup (logs in ${join(ctx.dir, 'logs')})`);
      if (Date.now() > deadline || ctx.signal.aborted) throw new Error(`prometheus and alertmanager not ready within ${READY_TIMEOUT_MS / 1000} s (logs in ${join(ctx.dir, 'logs')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    const killed = running.pids.flatMap(killTree);
    if (!(await waitGone(killed, STOP_TIMEOUT_MS))) throw new Error(`prometheus or alertmanager still running ${STOP_TIMEOUT_MS / 1000} s after SIGKILL`);
  }

  async status(): Promise<ComponentStatus> {
    if (!this.running) return { name: this.name, healthy: false, detail: 'not running', failed: [] };
    const [prom, am] = await this.ready();
    return { name: this.name, healthy: Boolean(prom && am), detail: `Prometheus ${this.url('prometheus')} ${prom ? 'ready' : 'NOT READY'}, Alertmanager ${this.url('alertmanager')} ${am ? 'ready' : 'NOT READY'}`, failed: [] };
  }

  owns(): boolean {
    return false;
  }

  fail(target: string): Promise<string> {
    return Promise.reject(new Error(`prometheus has no fault target ${target}`));
  }

  heal(target: string): Promise<string> {
    return Promise.reject(new Error(`prometheus has no fault target ${target}`));
  }
}
