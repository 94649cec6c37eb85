// A failover drill as written in drills/*.yaml or ~/.config/baton/drills/:
// traffic that runs the whole drill, the fault to inject, the conditions
// that mean "recovered" (read from baton's own polled state), how to put
// things back, when to give up early, and the budgets the figures must meet.
import { z } from 'zod';

/** Seconds as a number, or a string with a unit: 500ms, 3s, 2m. Read as milliseconds. */
export const duration = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, 'expected a duration such as 500ms, 3s or 2m')]).transform((v) => {
  if (typeof v === 'number') return Math.round(v * 1000);
  const n = Number.parseFloat(v);
  return Math.round(v.endsWith('ms') ? n : v.endsWith('m') ? n * 60_000 : n * 1000);
});

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected HOST:PORT');
const url = z.string().regex(/^https?:\/\/\S+$/, 'expected an http:// or https:// URL');
const percent = z.number().min(0).max(100);
const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case name such as vip or etcd-writes');

export const trafficSchema = z
  .strictObject({
    name,
    http: url.optional(),
    tcp: hostPort.optional(),
    redis: hostPort.optional(),
    etcd_put: z.strictObject({ endpoints: z.array(url).min(1), key: z.string().min(1).default('baton-drill/put-loop') }).optional(),
    /** Requests per second. */
    rate: z.number().positive().max(200).default(10),
    timeout: duration.default(1000),
    /** An ok request slower than this counts as slow. */
    slow: duration.default(500),
    /** HTTP only: run curl on this inventory host over its SSH connection instead of from here. */
    from: z.string().min(1).optional(),
  })
  .refine((t) => [t.http, t.tcp, t.redis, t.etcd_put].filter((k) => k !== undefined).length === 1, 'a traffic probe needs exactly one of http, tcp, redis, etcd_put')
  .refine((t) => t.from === undefined || t.http !== undefined, 'from: works with http only (curl on that host)');

const action = z.strictObject({ name: z.string().min(1), args: z.array(z.string()).default([]), options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}) });
const onHost = { host: z.string().min(1) };

/** The fault. Every value may hold ${running:RESOURCE}, ${etcd:leader} or ${etcd:leader-host}, read from baton's state when injected. */
export const injectSchema = z
  .strictObject({
    lab_fail: z.string().min(1).optional(),
    action: action.optional(),
    pacemaker_standby: z.string().min(1).optional(),
    haproxy_maint: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected BACKEND/SERVER').optional(),
    etcd_leader_kill: z.strictObject({ pattern: z.string().min(1).optional() }).optional(),
    systemctl_stop: z.strictObject({ ...onHost, unit: z.string().min(1) }).optional(),
    kill: z.strictObject({ ...onHost, pattern: z.string().min(1), signal: z.string().regex(/^(TERM|KILL|HUP|INT|\d+)$/).default('KILL') }).optional(),
    iptables_block: z.strictObject({ ...onHost, port: z.number().int().min(1).max(65535), protocol: z.enum(['tcp', 'udp']).default('tcp') }).optional(),
    /** Traffic runs this long before the fault (the baseline). */
    settle: duration.default(2000),
    /** Which event counts as detection: its source and a regex on its text. Default: the first warn or crit event. */
    detect: z.strictObject({ source: z.string().optional(), match: z.string().optional() }).optional(),
  })
  .refine((i) => INJECT_KINDS.filter((k) => i[k] !== undefined).length === 1, `inject needs exactly one of lab_fail, action, pacemaker_standby, haproxy_maint, etcd_leader_kill, systemctl_stop, kill, iptables_block`);

export const INJECT_KINDS = ['lab_fail', 'action', 'pacemaker_standby', 'haproxy_maint', 'etcd_leader_kill', 'systemctl_stop', 'kill', 'iptables_block'] as const;

export const restoreSchema = z
  .strictObject({
    lab_heal: z.string().min(1).optional(),
    action: action.optional(),
    command: z.strictObject({ ...onHost, run: z.string().min(1) }).optional(),
  })
  .refine((r) => [r.lab_heal, r.action, r.command].filter((k) => k !== undefined).length === 1, 'a restore step needs exactly one of lab_heal, action, command');

/** A state read from the store (or the traffic), true or false at each look. */
export const conditionSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    pacemaker: z
      .strictObject({ resource: z.string().optional(), moved: z.boolean().optional(), on: z.string().optional(), started: z.boolean().optional(), node: z.string().optional(), state: z.enum(['online', 'offline', 'standby']).optional() })
      .refine((p) => (p.resource !== undefined) !== (p.node !== undefined), 'pacemaker: needs resource (with moved, on or started) or node (with state)')
      .optional(),
    haproxy: z.strictObject({ server: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected BACKEND/SERVER'), state: z.enum(['UP', 'DOWN', 'MAINT', 'DRAIN', 'NOLB']) }).optional(),
    etcd: z.strictObject({ new_leader: z.boolean().optional(), leader: z.boolean().optional(), healthy: z.boolean().optional() }).optional(),
    queue: z.strictObject({ name: z.string().min(1), alert: z.boolean() }).optional(),
    traffic: z.strictObject({ probe: name, above: percent.optional(), below: percent.optional(), window: duration.default(2000) }).refine((t) => (t.above === undefined) !== (t.below === undefined), 'traffic: needs above or below').optional(),
    event: z.strictObject({ source: z.string().optional(), match: z.string().optional() }).optional(),
    /** expect: the deadline, from the fault (or from restore with after: restore). */
    within: duration.optional(),
    /** expect: checked once the restore ran, not during the fault (recovery that needs the restore). */
    after: z.enum(['inject', 'restore']).default('inject'),
    /** abort_if: how long it must hold before the drill aborts. */
    for: duration.default(0),
  })
  .refine((c) => CONDITION_KINDS.filter((k) => c[k] !== undefined).length === 1, 'a condition needs exactly one of pacemaker, haproxy, etcd, queue, traffic, event');

export const CONDITION_KINDS = ['pacemaker', 'haproxy', 'etcd', 'queue', 'traffic', 'event'] as const;

export const budgetSchema = z.strictObject({
  rto: duration.optional(),
  detection: duration.optional(),
  longest_outage: duration.optional(),
  failed_requests: z.number().int().min(0).optional(),
  unknown_requests: z.number().int().min(0).optional(),
  slow_requests: z.number().int().min(0).optional(),
  /** Traffic counts as recovered (RTO) once its success rate is at least this, per window. */
  recovered_above: percent.default(95),
});

export const drillSchema = z.strictObject({
  name,
  description: z.string().optional(),
  traffic: z.array(trafficSchema).min(1),
  inject: injectSchema,
  expect: z.array(conditionSchema).default([]),
  restore: z.array(restoreSchema).optional(),
  abort_if: z.array(conditionSchema).default([]),
  budget: budgetSchema.default({ recovered_above: 95 }),
  /** Traffic keeps running this long after the last condition is met, so recovery is seen to hold. */
  observe: duration.default(3000),
});

export type DrillSpec = z.output<typeof drillSchema>;
export type TrafficSpec = z.output<typeof trafficSchema>;
export type InjectSpec = z.output<typeof injectSchema>;
export type RestoreSpec = z.output<typeof restoreSchema>;
export type ConditionSpec = z.output<typeof conditionSchema>;
export type BudgetSpec = z.output<typeof budgetSchema>;

/** The keys allowed where an unknown key was written, for the error and its did-you-mean. */
export function keysAt(path: readonly (string | number)[]): string[] {
  const [top, , sub] = path;
  const shapes: Record<string, Record<string, unknown>> = {
    traffic: trafficSchema.shape,
    inject: injectSchema.shape,
    restore: restoreSchema.shape,
    expect: conditionSchema.shape,
    abort_if: conditionSchema.shape,
    budget: budgetSchema.shape,
  };
  if (path.length === 0) return Object.keys(drillSchema.shape);
  const depth = top === 'inject' || top === 'budget' ? 1 : 2;
  if (path.length === depth) return Object.keys(shapes[String(top)] ?? {});
  const nested = (shapes[String(top)] ?? {})[String(path.length === depth + 1 ? path[depth] : sub)] as { unwrap?: () => { shape?: object } } | undefined;
  const shape = nested?.unwrap?.().shape;
  return shape ? Object.keys(shape) : [];
}

/** What a condition is called in the figures: its name, else a short description. */
export function conditionName(c: ConditionSpec): string {
  if (c.name) return c.name;
  const kind = CONDITION_KINDS.find((k) => c[k] !== undefined)!;
  return `${kind} ${JSON.stringify(c[kind]).replace(/[{}"]/g, '').replace(/,/g, ' ')}`;
}
