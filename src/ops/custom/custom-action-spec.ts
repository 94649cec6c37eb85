// An operator's own action, as written in ~/.config/baton/actions/*.yaml or
// actions/ beside the inventory (k9s plugins, for runbooks): what it runs,
// on what, how it is confirmed and verified.
import { z } from 'zod';

/** What the action is run on; the service items name what the cursor is on in that pane. */
export const CUSTOM_SCOPES = ['host', 'selection', 'group', 'haproxy.server', 'haproxy.backend', 'pacemaker.resource', 'pacemaker.node', 'etcd.member'] as const;
export type CustomScope = (typeof CUSTOM_SCOPES)[number];

/** The variables a scope gives its command; each is shell-quoted where it is substituted. */
export const SCOPE_VARIABLES: Record<CustomScope, readonly string[]> = {
  host: ['HOST', 'ADDRESS', 'USER', 'PORT'],
  selection: ['HOST', 'ADDRESS', 'USER', 'PORT'],
  group: ['HOST', 'ADDRESS', 'USER', 'PORT', 'GROUP'],
  'haproxy.server': ['HOST', 'ADDRESS', 'BACKEND', 'SERVER'],
  'haproxy.backend': ['HOST', 'ADDRESS', 'BACKEND'],
  'pacemaker.resource': ['HOST', 'ADDRESS', 'CLUSTER', 'RESOURCE', 'NODE'],
  'pacemaker.node': ['HOST', 'ADDRESS', 'CLUSTER', 'NODE'],
  'etcd.member': ['HOST', 'ADDRESS', 'MEMBER', 'ENDPOINT'],
};

/**
 * A baton state that must hold afterwards, read by polling the service
 * again: `UP`, `DRAIN`, `MAINT`, `DOWN` for a server; `started`, `stopped`,
 * `on NODE` for a resource; `online`, `standby` for a node; `leader`,
 * `healthy`, `up` for an etcd member; `up` for a host.
 */
const STATE = z.string().regex(/^(UP|DOWN|DRAIN|MAINT|NOLB|started|stopped|online|standby|leader|healthy|up|on \S+)$/, 'expected a state such as UP, DRAIN, MAINT, started, stopped, on NODE, online, standby, leader, healthy, up');

const verify = z.union([
  z.string().min(1),
  z.strictObject({ command: z.string().min(1), within: z.number().positive().optional() }),
  z.strictObject({ state: STATE, within: z.number().positive().optional() }),
]);

export const customActionSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'expected a lower-case name such as restart-app or web.restart'),
  description: z.string().optional(),
  key: z.string().regex(/^(\S|ctrl\+[a-z])$/, 'expected one key, e.g. R or ctrl+r').optional(),
  scope: z.enum(CUSTOM_SCOPES),
  command: z.string().min(1),
  /** Show the plan and ask before running (default true; always true when dangerous). */
  confirm: z.boolean().default(true),
  /** Changes a managed system: refused in --read-only (default true). */
  dangerous: z.boolean().default(true),
  verify: verify.optional(),
  /** Seconds the command may run on each host (default 60). */
  timeout: z.number().positive().default(60),
  /** Hosts at once (default 32). */
  parallel: z.number().int().positive().default(32),
});

export type CustomActionSpec = z.output<typeof customActionSchema>;

export const CUSTOM_ACTION_KEYS = Object.keys(customActionSchema.shape);

export interface CustomVerify {
  command?: string;
  state?: string;
  /** Seconds to wait for it to hold. */
  withinSeconds: number;
}

export function verifyOf(spec: CustomActionSpec): CustomVerify | undefined {
  const v = spec.verify;
  if (v === undefined) return undefined;
  if (typeof v === 'string') return { command: v, withinSeconds: 0 };
  return 'command' in v ? { command: v.command, withinSeconds: v.within ?? 0 } : { state: v.state, withinSeconds: v.within ?? 30 };
}
