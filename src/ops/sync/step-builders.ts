// The steps one host's sync runs, apply and rollback alike: build the
// stage, (upload), install, reload, health check. Pure.
import { posix } from 'node:path';
import { quote } from 'shell-quote';
import type { HostRoles, Inventory, SyncSet } from '../../inventory/types.js';
import { serviceRoleOf, serviceStateCommand, type ServiceStatePoll } from '../../probes/service-state.js';
import type { Step, StepSpec } from '../engine/plan.js';
import type { HostLayout } from './host-layout.js';
import { installScript, prepareScript, type InstallEntry } from './install-script.js';

const COMMAND_TIMEOUT_MS = 120_000;
const HEALTH_SLACK_MS = 15_000;

export interface HostSteps {
  host: string;
  batch: number;
  layout: HostLayout;
  entries: InstallEntry[];
  /** sha256 -> local file (apply); absent for a rollback (the host has the copies). */
  objects?: Readonly<Record<string, string>>;
  /** rel -> the kept copy on the host to restore (rollback). */
  restoreFrom?: (rel: string) => string;
  meta: Record<string, string>;
  timeoutMs: number;
  /** The host's roles, for a `health: { haproxy | etcd }` check. */
  roles?: HostRoles;
}

export const rolesOf = (inventory: Inventory, host: string): HostRoles | undefined => inventory.hosts.find((x) => x.id === host)?.roles;

/** A set whose health is a service's state needs that role on every target: the refusal naming those without. */
export function healthRoleMissing(set: SyncSet, inventory: Inventory, hosts: readonly string[]): string | undefined {
  if (!set.health?.haproxy && !set.health?.etcd) return undefined;
  const role = serviceRoleOf(set.health);
  const without = hosts.filter((h) => !rolesOf(inventory, h)?.[role]);
  return without.length ? `${set.name}: health { ${role} } reads it on each target; no roles.${role} on ${without.join(', ')}` : undefined;
}


/** A health check that retries until it passes or its deadline: an HTTP URL (curl on the host) or a command. */
export function healthCommand(health: Pick<NonNullable<SyncSet['health']>, 'url' | 'command' | 'deadlineSeconds'>): string {
  const check = health.url ? `curl -fsS -o /dev/null --max-time 5 ${quote([health.url])}` : health.command!;
  const what = (health.url ?? health.command!).replace(/[\\"$`]/g, '\\$&');
  return [
    `end=$(( $(date +%s) + ${health.deadlineSeconds} ))`,
    `while :; do out=$( (${check}) 2>&1) && { echo "healthy: ${what}"; exit 0; }; [ "$(date +%s)" -lt "$end" ] || break; sleep 1; done`,
    `printf 'health check failed for ${health.deadlineSeconds} s: ${what}\\n%s\\n' "$out" >&2; exit 1`,
  ].join('\n');
}

function healthSpec(health: NonNullable<SyncSet['health']>, roles: HostRoles | undefined, reloadStamp: string | undefined): StepSpec {
  if (!health.haproxy && !health.etcd) return { kind: 'command', command: healthCommand(health) };
  // healthRoleMissing refused the plan before a host without the role got here.
  const until: ServiceStatePoll = health.etcd ? { etcd: health.etcd } : { haproxy: health.haproxy!, reloadStamp };
  return { kind: 'poll', command: serviceStateCommand(until, roles!), until, deadlineSeconds: health.deadlineSeconds };
}

export function hostSteps(set: SyncSet, h: HostSteps): Step[] {
  const base = { hostId: h.host, batch: h.batch, retries: 0 };
  const copyTree = set.validate !== undefined;
  const steps: Step[] = [
    { ...base, id: `prepare:${h.host}`, label: `stage ${set.name} on ${h.host}`, spec: { kind: 'command', command: prepareScript(h.layout, h.entries, copyTree, h.restoreFrom) }, timeoutMs: COMMAND_TIMEOUT_MS },
  ];
  if (h.objects) {
    for (const e of h.entries) {
      if (e.after === null) continue;
      // The upload itself is temp file + rename inside the stage: harmless to repeat.
      steps.push({ ...base, id: `upload:${h.host}:${e.rel}`, label: `upload ${e.rel || set.path} to ${h.host}`, spec: { kind: 'upload', localPath: h.objects[e.after]!, remotePath: h.layout.staged(e.rel), mode: set.mode }, timeoutMs: h.timeoutMs, retries: 1 });
    }
  }
  const validate = set.validate?.replaceAll('%s', quote([h.layout.stageRoot]));
  const attributes = h.objects ? { mode: set.mode, owner: set.owner, group: set.group } : undefined;
  const install = installScript({ layout: h.layout, entries: h.entries, versionsDir: set.versions, keep: set.keep, validate, attributes, meta: h.meta });
  steps.push({ ...base, id: `install:${h.host}`, label: `validate and install ${set.name} on ${h.host}`, spec: { kind: 'command', command: install }, timeoutMs: COMMAND_TIMEOUT_MS });
  // A service-state check must not mistake the old process for the reloaded one: the reload stamps its time
  // (a dotfile in the version store: listings and pruning skip it; the host lock keeps runs apart).
  const reloadStamp = set.reload && set.health?.haproxy ? posix.join(set.versions, '.reloaded-at') : undefined;
  const reload = reloadStamp ? `mkdir -p -- ${quote([set.versions])} && date +%s > ${quote([reloadStamp])} || exit $?\n${set.reload}` : set.reload;
  if (reload) steps.push({ ...base, id: `reload:${h.host}`, label: `reload on ${h.host}`, spec: { kind: 'command', command: reload }, timeoutMs: COMMAND_TIMEOUT_MS });
  if (set.health) steps.push({ ...base, id: `health:${h.host}`, label: `health check on ${h.host}`, spec: healthSpec(set.health, h.roles, reloadStamp), timeoutMs: set.health.deadlineSeconds * 1000 + HEALTH_SLACK_MS });
  return steps;
}
