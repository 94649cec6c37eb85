// The baton inventory for a lab: every host with its address, SSH port,
// login user and key, tags and groups by role, and the roles baton's probes
// read (haproxy admin sockets, etcd endpoints, Pacemaker nodes). The same
// renderer writes the lab's own copy and inventories/lab.yaml.
import { posix } from 'node:path';
import { Document, isPair, isScalar, visit } from 'yaml';
import { DEAD_LETTER_LIST, JOBS_LIST, ORDERS_STREAM } from './broker/queues.js';
import { SOLO_CLUSTER } from './corosync/solo-cluster-files.js';
import { NODES } from './pacemaker/cluster-definition.js';
import { DEPLOY_ROOT } from './host-view.js';
import { RABBITMQ_SCRIPTS } from './rabbitmq/rabbitmq-files.js';
import { RABBITMQ_DLQ, RABBITMQ_MONITOR_USER, RABBITMQ_VHOST } from './rabbitmq/topology.js';
import { labSyncSets } from './lab-sync-sets.js';
import { LAB_DEVICES } from './devices/lab-devices.js';
import { haproxyRunDir } from './haproxy-config.js';
import { isPrimaryLb, LAB_APP_PORT, LAB_ETCD, LAB_HAPROXY, LAB_NGINX, LAB_POSTGRESQL, LAB_PROMETHEUS, LAB_RABBITMQ, LAB_REDIS_PORT, type LabHostSpec } from './layout.js';

export const PACEMAKER_CLUSTER = 'baton-lab';
/** The lab's PostgreSQL replication set: db1 and its standby db2. */
export const LAB_PG_SET = 'lab-pg';
/** The lab's MariaDB replication set: db1 and its replica db2. */
export const LAB_MARIADB_SET = 'lab-mariadb';

export interface LabInventoryParams {
  /** The lab dir as it should appear in the file (absolute, or starting with ~). */
  dir: string;
  hosts: ReadonlyArray<LabHostSpec & { sshPort: number }>;
  user: string;
  /** Components running, so roles name only services that exist. */
  components: readonly string[];
  /** Per-host deploy root when hosts have no mount namespace (not root); else /srv/baton for all. */
  deployRoot?: (host: LabHostSpec) => string;
}

function roles(host: LabHostSpec, p: LabInventoryParams): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const has = (c: string) => p.components.includes(c);
  if (host.roles.includes('lb') && has('haproxy')) {
    // A socket path must be absolute (probes quote it, so ~ would not expand).
    const socket = p.dir.startsWith('/') ? { socket: posix.join(haproxyRunDir(p.dir, host.id, isPrimaryLb(host, p.hosts)), 'admin.sock') } : {};
    out.haproxy = { ...socket, tcp: `${host.address}:${LAB_HAPROXY.statsTcpPort}` };
  }
  if (isPrimaryLb(host, p.hosts) && has('nginx')) out.nginx = { statusUrl: `http://${host.address}:${LAB_NGINX.port}${LAB_NGINX.statusPath}` };
  if (host.roles.includes('etcd') && has('etcd')) out.etcd = { endpoint: `http://${host.address}:${LAB_ETCD.clientPort}` };
  if (host.roles.includes('pacemaker') && has('pacemaker')) out.pacemaker = { cluster: PACEMAKER_CLUSTER, node: NODES[p.hosts.filter((h) => h.roles.includes('pacemaker')).findIndex((h) => h.id === host.id)] };
  // The real one-node cluster answers crm_mon on any host of this machine; db1 is the one asked.
  if (host.roles.includes('db') && !host.roles.includes('replica') && has('corosync')) out.pacemaker = { cluster: SOLO_CLUSTER };
  if (host.roles.includes('mq') && has('broker')) {
    out.redis = { host: host.address, port: LAB_REDIS_PORT, streams: [ORDERS_STREAM], lists: [JOBS_LIST], deadLetters: [DEAD_LETTER_LIST] };
  }
  if (host.roles.includes('mq') && has('rabbitmq')) {
    // The CLI finds the node's cookie and epmd through the session's RABBITMQ_CONF_ENV_FILE;
    // the management API's password is read on mq1, from a file only the login user reads.
    out.rabbitmq = {
      vhost: RABBITMQ_VHOST,
      node: `rabbit@${host.address}`,
      rabbitmqctl: posix.join(RABBITMQ_SCRIPTS, 'rabbitmqctl'),
      deadLetters: [RABBITMQ_DLQ],
      management: { url: `http://${host.address}:${LAB_RABBITMQ.managementPort}`, user: RABBITMQ_MONITOR_USER, passwordFile: posix.join(p.dir, 'rabbitmq', 'cli', 'monitor.password') },
    };
  }
  // Sessions run as the servers' own user: peer authentication over each server's socket, no password.
  if (host.roles.includes('db') && has('postgresql')) out.postgresql = { cluster: LAB_PG_SET, host: posix.join(p.dir, 'postgresql', host.id, 'run'), port: LAB_POSTGRESQL.port };
  // unix_socket authentication: the session's user is the servers' own.
  if (host.roles.includes('db') && has('mariadb')) out.mysql = { cluster: LAB_MARIADB_SET, host: posix.join(p.dir, 'mariadb', host.id, 'mysqld.sock') };
  // curl on mq1 reads the lab's Alertmanager and Prometheus.
  if (host.roles.includes('mq') && has('prometheus')) {
    out.alertmanager = { url: `http://${host.address}:${LAB_PROMETHEUS.alertmanagerPort}` };
    out.prometheus = { url: `http://${host.address}:${LAB_PROMETHEUS.prometheusPort}` };
  }
  return Object.keys(out).length ? out : undefined;
}

/** The inventory YAML text, with a header saying where it came from. */
export function labInventoryYaml(p: LabInventoryParams): string {
  const port = p.hosts[0]?.sshPort;
  const hosts = Object.fromEntries(
    p.hosts.map((h) => {
      const entry: Record<string, unknown> = { address: h.address };
      if (h.sshPort !== port) entry.port = h.sshPort;
      entry.tags = { role: h.roles[0] ?? 'host' };
      if (p.deployRoot) entry.vars = { deploy_root: p.deployRoot(h) };
      const r = roles(h, p);
      if (r) entry.roles = r;
      return [h.id, entry];
    }),
  );
  // 'etcd' and 'pacemaker' are also service names: group by them only when the service runs.
  const groupNames = [...new Set(p.hosts.flatMap((h) => h.roles))].filter((g) => (g !== 'etcd' && g !== 'pacemaker') || p.components.includes(g));
  const groups = Object.fromEntries(groupNames.map((g) => [g, { hosts: p.hosts.filter((h) => h.roles.includes(g)).map((h) => h.id) }]));
  const file = {
    name: 'baton-lab',
    knownHosts: posix.join(p.dir, 'known_hosts'),
    defaults: {
      user: p.user,
      port,
      identity: posix.join(p.dir, 'id_ed25519'),
      tags: { lab: 'baton' },
      ...(p.deployRoot ? {} : { vars: { deploy_root: DEPLOY_ROOT } }),
    },
    hosts,
    groups,
    // Sync sets name one path for all their targets: only when every host sees its area as /srv/baton.
    ...(p.deployRoot ? {} : { sync: labSyncSets(p.dir, p.components) }),
    // Probed by ping from baton's machine; `lab fail device:NAME` drops one's packets.
    ...(p.components.includes('devices') ? { devices: LAB_DEVICES.map((d) => ({ name: d.name, type: d.type, address: d.address, probe: 'icmp' })) } : {}),
  };
  const header = [
    '# baton lab inventory: generated by `baton lab up`; do not edit (it is rewritten at every start).',
    `# Lab dir ${p.dir}. Open the console on it with: baton -i ${posix.join(p.dir, 'inventory.yaml')}`,
    `# Ports: web apps :${LAB_APP_PORT}, HAProxy frontend lb1|lb2:${LAB_HAPROXY.frontendPort} and stats page lb1|lb2:${LAB_HAPROXY.statsHttpPort}/stats, NGINX lb1:${LAB_NGINX.port}, etcd :${LAB_ETCD.clientPort}, Redis mq1:${LAB_REDIS_PORT}.`,
    // The committed copy (inventories/lab.yaml) is rendered with ~ paths.
    ...(p.dir.startsWith('/')
      ? []
      : [
          "# The lab's own copy also names HAProxy's unix admin socket (roles.haproxy.socket), which needs an absolute path.",
          '# This copy is regenerated by: BATON_UPDATE_LAB_INVENTORY=1 npx vitest run test/lab/lab-inventory.test.ts',
        ]),
  ];
  return `${header.join('\n')}\n${compact(new Document(file)).toString()}`;
}

/** One line per small mapping (a host's tags, a group), as people write inventories. */
function compact(doc: Document): Document {
  visit(doc, {
    Map(_, node, path) {
      const section = path[2];
      const top = isPair(section) && isScalar(section.key) ? section.key.value : undefined;
      if (path.length >= 7 || (path.length === 5 && top !== 'hosts' && top !== 'sync')) node.flow = true;
    },
    Seq(_, node) {
      node.flow = true;
    },
  });
  return doc;
}
