// The resolved inventory: what every other layer consumes. Loaders (baton
// YAML, pssh hosts files, ~/.ssh/config, Ansible) all produce exactly this shape.

export type TransportKind = 'ssh' | 'local';

/** One hop of a ProxyJump chain, already resolved to an address. */
export interface JumpHost {
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
}

export interface HaproxyRole {
  /** Admin socket path on the LB host (unix), e.g. /run/haproxy/admin.sock. */
  socket?: string;
  /** Loopback TCP stats socket, host:port. */
  tcp?: string;
  /** HTTP stats page, e.g. http://127.0.0.1:8404/stats (the `;csv` form is derived). */
  statsUrl?: string;
}

export interface EtcdRole {
  /** Client URL as seen from the host, e.g. http://127.0.0.1:2379. */
  endpoint?: string;
  /** TLS files on the host, for etcdctl's --cacert, --cert and --key. */
  cacert?: string;
  cert?: string;
  key?: string;
}

export interface PacemakerRole {
  /** Cluster name, to group several Pacemaker clusters apart. */
  cluster?: string;
  /** The Pacemaker node name this host is (crm_mon's), when it is not the host's id: how a node's resources count for a host's load. */
  node?: string;
}

export interface NginxRole {
  /** stub_status URL as seen from the host. */
  statusUrl?: string;
}

/** Alertmanager's API v2 as seen from the host (default http://127.0.0.1:9093), read with curl there. */
export interface AlertmanagerRole {
  url?: string;
}

/** Prometheus's API v1 as seen from the host (default http://127.0.0.1:9090): its alerts and rules, pending ones included. */
export interface PrometheusRole {
  url?: string;
}

/** A Redis broker on the host whose queues baton watches. */
export interface RedisRole {
  /** Where redis-cli on the host connects; default 127.0.0.1:6379. */
  host?: string;
  port?: number;
  /** Streams read through their consumer groups. */
  streams?: string[];
  /** Lists used as queues. */
  lists?: string[];
  /** Lists where failed messages land: alerted on arrivals. */
  deadLetters?: string[];
  /** Also watch keys matching `pattern`, scanning at most `seconds` and `maxKeys`. */
  discover?: { pattern: string; maxKeys?: number; seconds?: number };
  /** Per-queue depth alert thresholds (default 1,000). */
  depthThresholds?: Record<string, number>;
}

/** A RabbitMQ node on the host whose queues baton watches. */
export interface RabbitmqRole {
  /** Default `/`. */
  vhost?: string;
  /** rabbitmqctl -n; default: the CLI's own (rabbit@<host's short name>). */
  node?: string;
  /** The CLI to run; default `rabbitmqctl` from PATH. */
  rabbitmqctl?: string;
  /** Run it through `sudo -n` (Debian's wrapper wants root or the rabbitmq user). */
  sudo?: boolean;
  /** Queues to watch; default every queue of the vhost. */
  queues?: string[];
  /** Queues where dead letters land: alerted on arrivals, not depth. */
  deadLetters?: string[];
  depthThresholds?: Record<string, number>;
  /**
   * Read the management HTTP API with curl on the host instead of rabbitmqctl
   * (gives publish/deliver rates). The password is read on the broker host,
   * from a file or a variable of the login session, never sent by baton.
   */
  management?: { url: string; user: string; passwordFile?: string; passwordEnv?: string };
}

/** A PostgreSQL server whose replication baton watches; credentials stay on the host (peer auth, ~/.pgpass). */
export interface PostgresqlRole {
  /** Replication set name: servers with the same one are shown (and promoted) together; default `postgresql`. */
  cluster?: string;
  /** psql -h: a socket directory or an address; default psql's own. */
  host?: string;
  port?: number;
  user?: string;
  /** Default `postgres`. */
  database?: string;
  /** The psql to run; default `psql` from PATH. */
  psql?: string;
  /** Run psql through `sudo -n -u USER` (true: postgres), for peer authentication. */
  sudo?: boolean | string;
  /** Replay lag (seconds) above which a standby is alerted; default 60. */
  lagThreshold?: number;
}

/** A MySQL/MariaDB server whose replication baton watches; credentials in an option file on the host. */
export interface MysqlRole {
  /** Replication set name, as for PostgreSQL; default `mysql`. */
  cluster?: string;
  /** A socket path or an address; default the client's own. */
  host?: string;
  port?: number;
  user?: string;
  /** --defaults-extra-file on the host (holds the password). */
  defaultsFile?: string;
  /** The client to run; default `mysql` from PATH. */
  mysql?: string;
  /** Run the client through `sudo -n -u USER` (true: root), for socket authentication. */
  sudo?: boolean | string;
  /** Seconds behind the source above which a replica is alerted; default 60. */
  lagThreshold?: number;
}

export interface HostRoles {
  pacemaker?: PacemakerRole;
  redis?: RedisRole;
  rabbitmq?: RabbitmqRole;
  haproxy?: HaproxyRole;
  etcd?: EtcdRole;
  nginx?: NginxRole;
  alertmanager?: AlertmanagerRole;
  prometheus?: PrometheusRole;
  postgresql?: PostgresqlRole;
  mysql?: MysqlRole;
}

/** Where in an inventory file a host was defined, for error messages. */
export interface SourceRef {
  file: string;
  line?: number;
}

export interface HostSpec {
  /** Unique name shown everywhere (inventory key, alias or host[:port]). */
  id: string;
  transport: TransportKind;
  address: string;
  port: number;
  user: string;
  /** Tried in order after ssh-agent; empty means OpenSSH's defaults. */
  identityFiles: string[];
  /** ProxyJump chain, first hop first. */
  jump: JumpHost[];
  tags: Record<string, string>;
  vars: Record<string, unknown>;
  roles: HostRoles;
  /** Groups the host belongs to, directly or through children. */
  groups: string[];
  source: SourceRef;
}

/** A sync set's `health: { haproxy: ... }`: how many servers (of one backend, or of all) HAProxy's checks must see UP. */
export interface HaproxyUpCheck {
  backend?: string;
  up: 'all' | number;
}

/** A set of files kept alike on many hosts (`sync:` in baton YAML). */
export interface SyncSet {
  name: string;
  /** A local file or directory (absolute), or a reference host's path. */
  source: { kind: 'local'; path: string } | { kind: 'host'; host: string; path: string };
  /** Host filter (the console's `/` syntax), default `all`. */
  targets: string;
  /** Absolute path on the targets: a file when the source is a file, else a directory. */
  path: string;
  include: string[];
  exclude: string[];
  /** Octal; absent: the target file's mode is kept (a new file takes the source's). */
  mode?: number;
  owner?: string;
  group?: string;
  /** Run against the staged copy before anything is replaced; `%s` = the staged path. */
  validate?: string;
  reload?: string;
  /** After the reload: an HTTP URL, a command, or a service state (HAProxy's servers UP, etcd healthy); retried until the deadline. */
  health?: { url?: string; command?: string; haproxy?: HaproxyUpCheck; etcd?: 'healthy'; deadlineSeconds: number };
  keep: number;
  /** Batch sizes (Ansible's `serial`): numbers or percentages; absent: all at once. */
  serial?: (number | string)[];
  /** Where previous versions live on each target; default `<dir of path>/.baton-sync/<name>`. */
  versions: string;
}

/** Where a check or device probe runs: a host of the inventory (over its connection), or baton's own machine. */
export type ProbeSource = { kind: 'host'; host: string } | { kind: 'local' };

/** An HTTP(S) health check (`checks:` in baton YAML). */
export interface HealthCheck {
  name: string;
  url: string;
  from: ProbeSource;
  /** Statuses that pass; empty: any 2xx. */
  expectStatus: number[];
  /** A JavaScript regular expression the body must match. */
  expectBody?: string;
  /** Slower than this fails. */
  maxMs?: number;
  /** CA file on the machine the check runs from. */
  cacert?: string;
  insecure: boolean;
}

export type DeviceType = 'switch' | 'router' | 'firewall' | 'server' | 'other';

/** A network device whose reachability baton watches (`devices:` in baton YAML). */
export interface NetworkDevice {
  name: string;
  type: DeviceType;
  address: string;
  probe: { kind: 'icmp' } | { kind: 'tcp'; port: number };
  from: ProbeSource;
}

export type InventoryFormat = 'baton' | 'pssh' | 'ssh-config' | 'ansible' | 'embedded';

export interface Inventory {
  name: string;
  format: InventoryFormat;
  /** Absent for the embedded default (the local machine). */
  file?: string;
  /** known_hosts file the inventory names (baton YAML `knownHosts`); --known-hosts wins. */
  knownHostsFile?: string;
  hosts: HostSpec[];
  /** Group name -> host ids (transitively expanded). */
  groups: Record<string, string[]>;
  /** Sync sets (baton YAML `sync:`). */
  sync?: SyncSet[];
  /** HTTP health checks (baton YAML `checks:`). */
  checks?: HealthCheck[];
  /** Network devices (baton YAML `devices:`). */
  devices?: NetworkDevice[];
  /** Rebalance defaults (baton YAML `rebalance:` or `defaults.vars.rebalance`). */
  rebalance?: RebalanceDefaults;
  /** What the load skipped but did not fail on (an Ansible vault value, an ssh option baton ignores), each `file:line: detail`. */
  warnings?: string[];
}

/** The seed's node selection strategies (C88 ClusterManager), as the rebalance planner applies them. */
export const REBALANCE_STRATEGIES = ['resource_based', 'least_loaded', 'round_robin', 'weighted_random'] as const;
export type RebalanceStrategy = (typeof REBALANCE_STRATEGIES)[number];

/** What `R` and `baton act rebalance` start from unless told otherwise. */
export interface RebalanceDefaults {
  strategy?: RebalanceStrategy;
  band?: number;
  maxStepPercent?: number;
  settleSeconds?: number;
}
