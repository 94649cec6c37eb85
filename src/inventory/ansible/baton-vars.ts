// baton_roles and baton_tags: how an Ansible inventory declares baton's
// roles and tags without a second file. They take exactly what baton's own
// YAML takes under `roles:` and `tags:` (checked by the same schema), and
// baton_roles may also be a list of role names, each meaning `true`.
import { InventoryError } from '../errors.js';
import { hostSchema } from '../schema.js';
import type { HostRoles } from '../types.js';
import type { Located } from './model.js';

export function batonRolesAndTags(
  roles: Located | undefined,
  tags: Located | undefined,
  errors: InventoryError[],
): { roles: HostRoles; tags: Record<string, string> } {
  const entry: Record<string, unknown> = {};
  if (roles !== undefined) entry.roles = Array.isArray(roles.value) ? Object.fromEntries(roles.value.map((r) => [String(r), true])) : roles.value;
  if (tags !== undefined) entry.tags = tags.value;
  const result = hostSchema.safeParse(entry);
  if (result.success) return { roles: result.data.roles ?? {}, tags: result.data.tags ?? {} };
  for (const issue of result.error.issues) {
    const [section, ...rest] = issue.path.filter((p) => typeof p !== 'symbol');
    const located = section === 'roles' ? roles : tags;
    const name = `baton_${String(section)}${rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
    const detail = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
    errors.push(new InventoryError(located?.where ?? { file: '(inventory)' }, `${name}: ${detail}`, section === 'roles' ? 'roles: pacemaker, haproxy, etcd, nginx, redis, rabbitmq, alertmanager, prometheus, postgresql, mysql (as in baton YAML roles:)' : undefined));
  }
  return { roles: {}, tags: {} };
}
