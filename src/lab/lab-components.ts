// Which components a lab runs, and in what order they start: the hosts'
// sshd start once the components whose variables its sessions carry (e.g.
// Pacemaker's CIB_file) are up; everything else starts at once.
import { AppsComponent } from './apps-component.js';
import { BrokerComponent } from './broker/broker-component.js';
import type { LabComponent, LabContext } from './component.js';
import { DevicesComponent } from './devices/devices-component.js';
import { EtcdComponent } from './etcd/etcd-component.js';
import { HaproxyComponent } from './haproxy-component.js';
import { HostsComponent } from './hosts-component.js';
import { HostLoadComponent } from './load/host-load-component.js';
import { TrafficComponent } from './load/traffic-component.js';
import { NginxComponent } from './nginx-component.js';
import type { LabExtras } from './layout.js';
import { SoloClusterComponent } from './corosync/solo-cluster-component.js';
import { PacemakerComponent } from './pacemaker/pacemaker-component.js';
import { MariadbComponent } from './mariadb/mariadb-component.js';
import { PostgresqlComponent } from './postgresql/postgresql-component.js';
import { PrometheusComponent } from './prometheus/prometheus-component.js';
import { RabbitmqComponent } from './rabbitmq/rabbitmq-component.js';


export interface LabComponents {
  hosts: HostsComponent;
  broker: BrokerComponent;
  /** With `--with rabbitmq` only. */
  rabbitmq?: RabbitmqComponent;
  /** `lab load HOST PERCENT`: per-host /proc views. */
  load: HostLoadComponent;
  /** `lab traffic RATE`: requests to HAProxy's frontend. */
  traffic: TrafficComponent;
  /** All of them, hosts first; stopped in reverse. */
  all: LabComponent[];
}

/** loginUser: the lab user when root; undefined: the current user. */
export function labComponents(loginUser: string | undefined, extras: LabExtras = {}): LabComponents {
  const all: LabComponent[] = [];
  const pacemaker = new PacemakerComponent({ loginUser });
  const hosts = new HostsComponent({
    loginUser,
    sessionEnvironment: (host) => Object.assign({}, ...all.map((c) => c.sshEnvironment?.(host) ?? {})) as Record<string, string>,
    // web1-3's sshd run inside their Pacemaker node's namespaces when the cluster is real.
    wrapSshd: (host, argv) => pacemaker.wrapHostSshd(host, argv),
  });
  const broker = new BrokerComponent();
  all.push(hosts, pacemaker, new AppsComponent(loginUser), new HaproxyComponent(loginUser), new NginxComponent(), new EtcdComponent(), broker, new DevicesComponent());
  const rabbitmq = extras.rabbitmq ? new RabbitmqComponent(loginUser) : undefined;
  if (rabbitmq) all.push(rabbitmq);
  if (extras.corosync) all.push(new SoloClusterComponent(loginUser));
  if (extras.postgresql) all.push(new PostgresqlComponent(loginUser));
  if (extras.mariadb) all.push(new MariadbComponent(loginUser));
  if (extras.prometheus) all.push(new PrometheusComponent());
  // Last, so they stop first: the views are unmounted while the hosts' namespaces still exist.
  const load = new HostLoadComponent();
  const traffic = new TrafficComponent();
  all.push(load, traffic);
  return { hosts, broker, rabbitmq, load, traffic, all };
}

/** Starts every component; throws every error at once (the caller stops them all). */
export async function startComponents(list: LabComponents, ctx: LabContext): Promise<void> {
  const start = async (c: LabComponent): Promise<void> => {
    const t0 = Date.now();
    await c.start(ctx);
    ctx.log(`${c.name}: started in ${Date.now() - t0} ms`);
  };
  const providers = list.all.filter((c) => c !== list.hosts && c.sshEnvironment);
  const rest = list.all.filter((c) => c !== list.hosts && !c.sshEnvironment);
  const results = await Promise.allSettled([...rest.map(start), Promise.all(providers.map(start)).then(() => start(list.hosts))]);
  const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  if (errors.length) throw new Error(errors.join('\n'));
}

/** Stops in reverse order, each bounded; safe for components that never started. */
export async function stopComponents(list: readonly LabComponent[], log: (line: string) => void): Promise<void> {
  for (const c of [...list].reverse()) {
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('timed out after 15 s'), 15_000).unref());
    const outcome = await Promise.race([c.stop().then(() => 'stopped', (err: Error) => `failed: ${err.message}`), timeout]);
    log(`${c.name}: ${outcome}`);
  }
}
