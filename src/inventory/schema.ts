// The baton inventory file format. Every object is strict so a misspelt key
// is an error, and every message starts with "expected" so the loader can
// append what it found instead.
import { z } from 'zod';
import { HostPortError, parseJumpSpec } from './host-port.js';
import { REBALANCE_STRATEGIES } from './types.js';

const PORT = 'expected an integer 1-65535';
const port = z.int({ error: PORT }).min(1, { error: PORT }).max(65535, { error: PORT });

function text(what: string) {
  return z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty string` });
}

/** `true`, an empty value and `{}` all mean "present, with defaults". */
function role<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.preprocess(
    (value) => (value === true || value === null ? {} : value),
    z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? 'expected true or a mapping' : undefined) }),
  );
}

function mapping<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? 'expected a mapping' : undefined) });
}

const USER = 'expected a user name without whitespace';
const user = z.string({ error: USER }).regex(/^\S+$/, { error: USER });
const identity = z
  .union([text('a key file path'), z.array(text('a key file path'))], { error: 'expected a key file path or a list of them' })
  .transform((value) => (typeof value === 'string' ? [value] : value));
const transport = z.enum(['ssh', 'local'], { error: 'expected "ssh" or "local"' });
const jump = text('a ProxyJump chain').superRefine((spec, ctx) => {
  try {
    parseJumpSpec(spec);
  } catch (error) {
    if (!(error instanceof HostPortError)) throw error;
    ctx.addIssue({ code: 'custom', message: `expected [user@]host[:port] hops separated by commas (${error.message})` });
  }
});

const TAG_ITEM = 'expected "key=value"';
// Transforms stay outside the union: zod reports the matching branch's own
// issue (e.g. the bad list item) only for untransformed branches.
const tags = z
  .union(
    [
      z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'expected a text value' })),
      z.array(z.string({ error: TAG_ITEM }).regex(/^[^=\s]+=/, { error: TAG_ITEM })),
    ],
    { error: 'expected a mapping of key: value or a list of "key=value"' },
  )
  .transform((value): Record<string, string> =>
    Array.isArray(value)
      ? Object.fromEntries(value.map((item) => [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)]))
      : Object.fromEntries(Object.entries(value).map(([key, v]) => [key, String(v)])),
  );
const vars = z.record(z.string(), z.unknown(), { error: 'expected a mapping of variables' });

const hostPath = (what: string) => text(`${what}, an absolute path on the host`).regex(/^\//, { error: `expected an absolute path for ${what}` });
const url = (what: string) => z.url({ protocol: /^https?$/, error: `expected an http(s) URL for ${what}` });

const sudoUser = z.union([z.boolean(), user], { error: 'expected true, false or a user name' });
const noSpaces = (what: string) => text(what).regex(/^\S+$/, { error: `expected ${what} without spaces` });
const databaseShape = {
  cluster: text('a replication set name').optional(),
  host: noSpaces('a socket directory or an address').optional(),
  port: port.optional(),
  user: user.optional(),
  sudo: sudoUser.optional(),
  lagThreshold: z.number({ error: 'expected seconds, more than 0' }).positive({ error: 'expected seconds, more than 0' }).optional(),
};

const roleShapes = {
  pacemaker: { cluster: text('a cluster name').optional(), node: text('a Pacemaker node name').optional() },
  haproxy: {
    socket: text('an admin socket path').regex(/^\//, { error: 'expected an absolute socket path' }).optional(),
    tcp: text('host:port').regex(/^(\[[^\]]+\]|[^\s:]+):\d{1,5}$/, { error: 'expected host:port' }).optional(),
    statsUrl: url('the stats page').optional(),
  },
  etcd: {
    endpoint: url('the client endpoint').optional(),
    cacert: hostPath('the CA certificate file').optional(),
    cert: hostPath('the client certificate file').optional(),
    key: hostPath('the client key file').optional(),
  },
  nginx: { statusUrl: url('stub_status').optional() },
  alertmanager: { url: url('the Alertmanager API').optional() },
  prometheus: { url: url('the Prometheus API').optional() },
  redis: {
    host: text('an address').optional(),
    port: port.optional(),
    streams: z.array(text('a stream key')).optional(),
    lists: z.array(text('a list key')).optional(),
    deadLetters: z.array(text('a dead-letter list key')).optional(),
    discover: z
      .object({ pattern: text('a key pattern'), maxKeys: z.number().int().min(1).max(10_000).optional(), seconds: z.number().min(0.1).max(30).optional() }, { error: 'expected { pattern, maxKeys?, seconds? }' })
      .strict()
      .optional(),
    depthThresholds: z.record(z.string(), z.number().int().min(0)).optional(),
  },
  rabbitmq: {
    vhost: text('a virtual host name').optional(),
    node: text('a node name such as rabbit@mq1').regex(/^[^\s@]+@[^\s@]+$/, { error: 'expected a node name such as rabbit@mq1' }).optional(),
    rabbitmqctl: text('the rabbitmqctl path').regex(/^[^\s]+$/, { error: 'expected a path without spaces' }).optional(),
    sudo: z.boolean({ error: 'expected true or false' }).optional(),
    queues: z.array(text('a queue name')).optional(),
    deadLetters: z.array(text('a dead-letter queue name')).optional(),
    depthThresholds: z.record(z.string(), z.number().int().min(0)).optional(),
    management: z
      .object(
        {
          url: url('the management API'),
          user: text('a user name'),
          passwordFile: text('a password file path on the broker host').regex(/^\//, { error: 'expected an absolute path' }).optional(),
          passwordEnv: text('an environment variable name').regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }).optional(),
        },
        { error: 'expected { url, user, passwordFile | passwordEnv }' },
      )
      .strict()
      .refine((m) => (m.passwordFile === undefined) !== (m.passwordEnv === undefined), { error: 'expected exactly one of passwordFile or passwordEnv' })
      .optional(),
  },
  postgresql: { ...databaseShape, database: text('a database name').optional(), psql: noSpaces('the psql path').optional() },
  mysql: { ...databaseShape, defaultsFile: hostPath('the option file with the credentials').optional(), mysql: noSpaces('the mysql client path').optional() },
};

const rolesSchema = mapping({
  pacemaker: role(roleShapes.pacemaker).optional(),
  haproxy: role(roleShapes.haproxy).optional(),
  etcd: role(roleShapes.etcd)
    .refine((r) => (r.cert === undefined) === (r.key === undefined), { error: 'expected cert and key together (the client certificate and its key)' })
    .optional(),
  nginx: role(roleShapes.nginx).optional(),
  redis: role(roleShapes.redis).optional(),
  rabbitmq: role(roleShapes.rabbitmq).optional(),
  alertmanager: role(roleShapes.alertmanager).optional(),
  prometheus: role(roleShapes.prometheus).optional(),
  postgresql: role(roleShapes.postgresql).optional(),
  mysql: role(roleShapes.mysql).optional(),
});

const sshSettings = {
  port: port.optional(),
  user: user.optional(),
  identity: identity.optional(),
  jump: jump.optional(),
  transport: transport.optional(),
  tags: tags.optional(),
  vars: vars.optional(),
};

const hostShape = { address: text('an address or nodeset').optional(), ...sshSettings, roles: rolesSchema.optional() };

const names = (what: string) => z.array(text(what), { error: `expected a list of ${what}s` });

const groupShape = {
  hosts: names('host name or nodeset').optional(),
  children: names('group name').optional(),
  vars: vars.optional(),
  tags: tags.optional(),
};

const entries = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `expected a mapping of ${what}` }).nullish();

const MODE = 'expected an octal mode in quotes, such as "0644"';
const DEADLINE = 'expected seconds between 1 and 3600';
const HAPROXY_UP = 'expected all-up, or { backend: NAME, up: all or a server count }';
const UP_COUNT = 'expected all or a server count (1, 2, ...)';
const haproxyUp = z.union(
  [
    z.literal('all-up').transform(() => ({ up: 'all' as const })),
    mapping({ backend: text('a backend name').optional(), up: z.union([z.literal('all'), z.int({ error: UP_COUNT }).min(1, { error: UP_COUNT })], { error: UP_COUNT }).default('all') }),
  ],
  { error: HAPROXY_UP },
);
const healthShape = {
  url: url('the health check').optional(),
  command: text('a health check command').optional(),
  haproxy: haproxyUp.optional(),
  etcd: z.literal('healthy', { error: 'expected healthy (every voting member healthy, a leader, no alarm)' }).optional(),
  deadline: z.number({ error: DEADLINE }).min(1, { error: DEADLINE }).max(3600, { error: DEADLINE }).optional(),
};
const SERIAL_ITEM = 'expected a host count (1, 2, ...) or a percentage ("25%")';
const serialItem = z.union([z.int({ error: SERIAL_ITEM }).min(1, { error: SERIAL_ITEM }), z.string({ error: SERIAL_ITEM }).regex(/^(100|[1-9]\d?)%$/, { error: SERIAL_ITEM })], { error: SERIAL_ITEM });
const globs = (what: string) => z.array(text(what), { error: `expected a list of ${what}s` });

const syncShape = {
  source: text('a local file or directory, or HOST:PATH'),
  targets: text('a host filter (group=web, env=prod, names, all)').optional(),
  path: hostPath('the path on the targets'),
  include: globs('glob').optional(),
  exclude: globs('glob').optional(),
  mode: z.string({ error: MODE }).regex(/^0?[0-7]{3,4}$/, { error: MODE }).optional(),
  owner: user.optional(),
  group: user.optional(),
  validate: text('a command with %s for the staged path').refine((c) => c.includes('%s'), { error: 'expected a command with %s for the staged path (haproxy -c -f %s)' }).optional(),
  reload: text('a reload command').optional(),
  health: mapping(healthShape)
    .refine((h) => [h.url, h.command, h.haproxy, h.etcd].filter((x) => x !== undefined).length === 1, { error: 'expected exactly one of url, command, haproxy or etcd' })
    .optional(),
  keep: z.int({ error: 'expected a number of versions, 1 to 100' }).min(1, { error: 'expected at least 1 version' }).max(100, { error: 'expected at most 100 versions' }).optional(),
  rollout: z
    .union([z.literal('all'), mapping({ serial: z.array(serialItem, { error: 'expected a list such as [1, "25%", "100%"]' }).min(1, { error: 'expected at least one batch size' }) })], {
      error: 'expected all, or { serial: [1, "25%", "100%"] }',
    })
    .optional(),
  versions: hostPath('the version store').optional(),
};

const STATUS = 'expected an HTTP status 100-599 or a list of them';
const httpStatus = z.int({ error: STATUS }).min(100, { error: STATUS }).max(599, { error: STATUS });
/** `from:` names a host of the inventory, or `local` (baton's machine); hosts are checked later, against the inventory. */
const probeFrom = text('a host name or local');
const checkExpectShape = {
  status: z.union([httpStatus, z.array(httpStatus).min(1, { error: STATUS })], { error: STATUS }).optional(),
  body: text('a regular expression').optional(),
  maxMs: z.int({ error: 'expected milliseconds, 1 or more' }).min(1, { error: 'expected milliseconds, 1 or more' }).optional(),
};
const checkTlsShape = {
  cacert: text('a CA file path').optional(),
  insecure: z.boolean({ error: 'expected true or false' }).optional(),
};
const checkShape = {
  name: text('a check name'),
  url: url('the check'),
  from: probeFrom.optional(),
  expect: mapping(checkExpectShape).optional(),
  tls: mapping(checkTlsShape).optional(),
};
const DEVICE_TYPE = 'expected switch, router, firewall, server or other';
const PROBE = 'expected icmp or tcp:PORT';
const deviceShape = {
  name: text('a device name'),
  type: z.enum(['switch', 'router', 'firewall', 'server', 'other'], { error: DEVICE_TYPE }).optional(),
  address: text('an address or host name').regex(/^[A-Za-z0-9._:-]+$/, { error: 'expected an address or host name' }),
  probe: z.string({ error: PROBE }).regex(/^(icmp|tcp:\d{1,5})$/, { error: PROBE }).optional(),
  from: probeFrom.optional(),
};
const items = (what: string) => z.array(z.unknown(), { error: `expected a list of ${what}` }).nullish();

const STRATEGY = `expected one of ${REBALANCE_STRATEGIES.join(', ')}`;
const BAND = 'expected percent points between 1 and 50';
const STEP = 'expected a percentage between 1 and 100';
const SETTLE = 'expected seconds between 1 and 600';
const rebalanceShape = {
  strategy: z.enum(REBALANCE_STRATEGIES, { error: STRATEGY }).optional(),
  band: z.number({ error: BAND }).min(1, { error: BAND }).max(50, { error: BAND }).optional(),
  maxStepPercent: z.number({ error: STEP }).min(1, { error: STEP }).max(100, { error: STEP }).optional(),
  settleSeconds: z.number({ error: SETTLE }).min(1, { error: SETTLE }).max(600, { error: SETTLE }).optional(),
};

const fileShape = {
  name: text('an inventory name').optional(),
  knownHosts: text('a known_hosts file path').optional(),
  defaults: mapping(sshSettings).nullish(),
  hosts: entries('host name or nodeset -> settings'),
  groups: entries('group name -> members'),
  sync: entries('sync set name -> settings'),
  // Deploy pipelines named by their keys; the deploy layer checks each one (src/ops/deploy/load-deploy.ts).
  deploys: entries('deploy name -> pipeline'),
  checks: items('health checks'),
  devices: items('network devices'),
  rebalance: z.unknown().optional(),
};

// An entry written as `web1:` (no value) is an entry with no settings.
export const hostSchema = z.preprocess((value) => value ?? {}, mapping(hostShape));
export const groupSchema = z.preprocess((value) => value ?? {}, mapping(groupShape));
export const syncSetSchema = mapping(syncShape);
export const checkSchema = mapping(checkShape);
export const deviceSchema = mapping(deviceShape);
/** `rebalance:` at the top, or `defaults.vars.rebalance`. */
export const rebalanceSchema = z.preprocess((value) => value ?? {}, mapping(rebalanceShape));
/** The top level; hosts and groups are checked one by one so one bad entry hides no other. */
export const fileSchema = z.preprocess((value) => value ?? {}, mapping(fileShape));

export type HostEntry = z.output<typeof hostSchema>;
export type GroupEntry = z.output<typeof groupSchema>;
export type SyncEntry = z.output<typeof syncSetSchema>;
export type CheckEntry = z.output<typeof checkSchema>;
export type DeviceEntry = z.output<typeof deviceSchema>;
type InventoryFile = z.output<typeof fileSchema>;
export type Defaults = NonNullable<InventoryFile['defaults']>;

/** The keys allowed in the mapping at `path`, to suggest the one meant. */
export function allowedKeys(path: readonly (string | number)[]): readonly string[] {
  const [section, , sub, role] = path;
  if (path.length === 0) return Object.keys(fileShape);
  if (section === 'rebalance' || (section === 'defaults' && path[1] === 'vars' && path[2] === 'rebalance')) return Object.keys(rebalanceShape);
  if (section === 'defaults') return Object.keys(sshSettings);
  if (section === 'groups') return Object.keys(groupShape);
  if (section === 'checks') return path.length === 2 ? Object.keys(checkShape) : sub === 'expect' ? Object.keys(checkExpectShape) : sub === 'tls' ? Object.keys(checkTlsShape) : [];
  if (section === 'devices') return path.length === 2 ? Object.keys(deviceShape) : [];
  if (section === 'sync') return path.length === 2 ? Object.keys(syncShape) : sub === 'health' ? (path[3] === 'haproxy' ? ['backend', 'up'] : Object.keys(healthShape)) : sub === 'rollout' ? ['serial'] : [];
  if (section !== 'hosts') return [];
  if (path.length === 2) return Object.keys(hostShape);
  if (sub === 'roles' && path.length === 3) return Object.keys(roleShapes);
  return typeof role === 'string' && role in roleShapes ? Object.keys(roleShapes[role as keyof typeof roleShapes]) : [];
}
