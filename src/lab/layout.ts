// The lab's fixed shape: which hosts exist, their loopback addresses and the
// ports each service listens on. Fixed (not picked at random) so that the
// inventory, the README walkthrough and muscle memory all agree. Everything
// is inside 127.0.0.0/8.

export interface LabHostSpec {
  id: string;
  address: string;
  /** Roles this host plays in the lab (for the inventory and components). */
  roles: Array<'web' | 'db' | 'mq' | 'lb' | 'pacemaker' | 'etcd' | 'replica'>;
}

export const LAB_SSH_PORT = 2222;
export const LAB_APP_PORT = 8080;
/** exporterPort: HAProxy's built-in Prometheus exporter (GET /metrics), scraped by `--with prometheus`. */
export const LAB_HAPROXY = { frontendPort: 8000, statsHttpPort: 8404, statsTcpPort: 9999, backupPort: 8081, exporterPort: 8405 } as const;
export const LAB_ETCD = { clientPort: 2379, peerPort: 2380 } as const;
export const LAB_REDIS_PORT = 6379;
/** NGINX on lb1: a reverse proxy in front of HAProxy's frontend, with stub_status. */
export const LAB_NGINX = { port: 8088, statusPath: '/nginx-status' } as const;
export const LAB_RABBITMQ_PORT = 5672;
/** Optional services a lab runs on top of the defaults (`lab up --with rabbitmq corosync`). */
export const LAB_EXTRAS = ['rabbitmq', 'corosync', 'postgresql', 'prometheus', 'mariadb'] as const;
export type LabExtras = Partial<Record<(typeof LAB_EXTRAS)[number], boolean>>;

/** The extras named by `--with` values; unknown names are the caller's to reject. */
export function labExtras(names: readonly string[] = []): LabExtras {
  return Object.fromEntries(LAB_EXTRAS.filter((e) => names.includes(e)).map((e) => [e, true]));
}

/**
 * RabbitMQ (`lab up --with rabbitmq`) on mq1: AMQP, the management HTTP API,
 * the Erlang distribution port and the lab's own epmd, all off the defaults
 * a system RabbitMQ or epmd would take (except AMQP, bound to mq1 only).
 */
export const LAB_RABBITMQ = { amqpPort: LAB_RABBITMQ_PORT, managementPort: 15673, distPort: 25673, epmdPort: 4370 } as const;

/**
 * Default hosts: web1-3 (web app, Pacemaker node1-3), db1/mq1/lb1 (etcd
 * members), and standbys at fixed addresses at the top of the range, clear of
 * the web hosts `--hosts` adds: lb2 (a second HAProxy, lb1's standby).
 */
export const DEFAULT_LAB_HOSTS: readonly LabHostSpec[] = [
  { id: 'web1', address: '127.0.3.1', roles: ['web', 'pacemaker'] },
  { id: 'web2', address: '127.0.3.2', roles: ['web', 'pacemaker'] },
  { id: 'web3', address: '127.0.3.3', roles: ['web', 'pacemaker'] },
  { id: 'db1', address: '127.0.3.4', roles: ['db', 'etcd'] },
  { id: 'mq1', address: '127.0.3.5', roles: ['mq', 'etcd'] },
  { id: 'lb1', address: '127.0.3.6', roles: ['lb', 'etcd'] },
  { id: 'lb2', address: '127.0.3.251', roles: ['lb'] },
];

/** The LB that also runs NGINX and the backends' sorry server: the first one (lb1). */
export function isPrimaryLb(host: LabHostSpec, hosts: readonly LabHostSpec[]): boolean {
  return hosts.find((h) => h.roles.includes('lb'))?.id === host.id;
}

/**
 * Prometheus and Alertmanager (`lab up --with prometheus`) on mq1, off their
 * default ports (9090, 9093) so a system one does not clash; the cluster
 * port of Alertmanager is off (a single instance).
 */
export const LAB_PROMETHEUS = { prometheusPort: 9190, alertmanagerPort: 9193 } as const;

/** PostgreSQL (`lab up --with postgresql`) on db1 and db2, each bound to its own address. */
export const LAB_POSTGRESQL = { port: 5432 } as const;
/** MariaDB (`lab up --with mariadb`) on db1 and db2, each bound to its own address. */
export const LAB_MARIADB = { port: 3306 } as const;

/** db2, the database replica: in the lab only with a database extra, at a fixed address clear of --hosts and lb2. */
export const LAB_DB_REPLICA: LabHostSpec = { id: 'db2', address: '127.0.3.250', roles: ['db', 'replica'] };

const wantsReplica = (extras: LabExtras) => extras.postgresql === true || extras.mariadb === true;

/** `--hosts N`: the defaults, then extra web hosts web4, web5, ... on 127.0.3.7 onwards. */
export function labHosts(count = DEFAULT_LAB_HOSTS.length, extras: LabExtras = {}): LabHostSpec[] {
  if (!Number.isInteger(count) || count < DEFAULT_LAB_HOSTS.length || count > 200) {
    throw new Error(`--hosts must be a whole number from ${DEFAULT_LAB_HOSTS.length} to 200, got ${count}`);
  }
  const hosts = DEFAULT_LAB_HOSTS.map((h) => ({ ...h, roles: [...h.roles] }));
  for (let extra = 0; extra < count - DEFAULT_LAB_HOSTS.length; extra++) {
    hosts.push({ id: `web${extra + 4}`, address: `127.0.3.${extra + 7}`, roles: ['web'] });
  }
  if (wantsReplica(extras)) hosts.push({ ...LAB_DB_REPLICA, roles: [...LAB_DB_REPLICA.roles] });
  return hosts;
}
