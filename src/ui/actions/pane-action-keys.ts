// Actions by key in the panes they fit: a host action on the hosts pane's
// cursor (or selection), a server action on the HAProxy pane's server, a
// resource or node action on the Pacemaker pane's, a member action on the
// etcd pane's. The built-in failover actions that need no more than the item
// have a key here, those that need more a key form (a picker, a prompt, a
// fixed step); the operator's own bring theirs. Which actions a pane offers,
// and what the cursor gives them as their target. Pure.
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { AnyAction } from '../../ops/engine/registry.js';
import type { BatonState } from '../../store/types.js';
import { parseItem, type ItemType } from '../panes/service-items.js';
import type { UiState } from '../state/ui-store.js';
import { SYNC_KEY_HELP, SYNC_KEY_HINTS } from '../sync/sync-keys.js';
import { ALERTS_KEY_HELP, ALERTS_KEY_HINTS } from '../panes/alerts-keys.js';
import { DATABASES_KEY_HELP, DATABASES_KEY_HINTS, DATABASES_KEYS } from '../panes/databases-keys.js';
import { REBALANCE_KEY, REBALANCE_KEY_HELP, REBALANCE_KEY_HINTS } from '../rebalance/rebalance-keys.js';
import { DEPLOY_KEY_HELP, DEPLOY_KEY_HINTS, DEPLOY_KEYS } from '../deploy/deploy-keys.js';
import type { PaneKind } from '../views/pane-kinds.js';

const PANE_SCOPES: Partial<Record<PaneKind, readonly string[]>> = {
  hosts: ['host', 'selection'],
  haproxy: ['haproxy.server', 'haproxy.backend'],
  pacemaker: ['pacemaker.resource', 'pacemaker.node', 'pacemaker.cluster'],
  etcd: ['etcd.member', 'etcd.cluster'],
};

/** The service item types a scope's target may be (a cluster-wide action may also take a node or resource). */
const ITEM_OF: Record<string, readonly ItemType[]> = {
  'haproxy.server': ['server'],
  'haproxy.backend': ['backend'],
  'pacemaker.resource': ['resource'],
  'pacemaker.node': ['node'],
  'pacemaker.cluster': ['node', 'resource'],
  'etcd.member': ['member'],
};

/** Keys of the built-in actions whose only argument is the item under the cursor (none is bound in the keymap). */
export const PANE_ACTION_KEYS: Readonly<Record<string, string>> = {
  'haproxy.drain': 'd',
  'haproxy.maint': 'm',
  'haproxy.ready': 'u',
  'pacemaker.standby': 'x',
  'pacemaker.online': 'o',
  'pacemaker.cleanup': 'c',
  'pacemaker.clear': 'C',
  // T for target-role Stopped: D runs a drill everywhere, the demo's first minute included.
  'pacemaker.disable': 'T',
  'pacemaker.enable': 'E',
  'etcd.move-leader': 'L',
  'etcd.defrag': 'F',
};

/**
 * Keys of built-in actions that need more than the item: the node picker
 * (move, ban), the weight prompt, or hatop's weight steps fixed by the key.
 * None is bound in the keymap; an operator's own action on the key wins.
 */
export interface PaneKeyForm {
  key: string;
  action: string;
  /** What `?` says the key does. */
  help: string;
  /** The key line's words; keys that share words show them on the first only. */
  hint?: string;
  /** node: pick the node in a list; weight: type the weight; else `argv` follows the item. */
  ask?: 'node' | 'weight';
  /** Words before the item (`on` in `pacemaker.maintenance on node2`). */
  lead?: readonly string[];
  argv?: readonly string[];
  /** The action is on the pane's whole cluster: no item, the cursor may be anywhere in it. */
  whole?: boolean;
}

export const PANE_KEY_FORMS: readonly PaneKeyForm[] = [
  { key: 'M', action: 'pacemaker.move', ask: 'node', hint: 'M move', help: 'pacemaker.move to a node picked from a list (p pins)' },
  { key: 'b', action: 'pacemaker.ban', ask: 'node', hint: 'b ban', help: 'pacemaker.ban from a node picked from a list' },
  { key: 'w', action: 'haproxy.weight', ask: 'weight', hint: 'w weight', help: 'haproxy.weight: type N, N%, +N, -N or configured' },
  { key: '[', action: 'haproxy.weight', argv: ['-1'], hint: '[/] -1/+1', help: 'haproxy.weight -1' },
  { key: ']', action: 'haproxy.weight', argv: ['+1'], help: 'haproxy.weight +1' },
  { key: '{', action: 'haproxy.weight', argv: ['-10'], hint: '{/} -10/+10', help: 'haproxy.weight -10' },
  { key: '}', action: 'haproxy.weight', argv: ['+10'], help: 'haproxy.weight +10' },
  { key: '=', action: 'haproxy.weight', argv: ['configured'], hint: '= conf. weight', help: 'haproxy.weight configured (restore it)' },
  { key: 'n', action: 'pacemaker.maintenance', lead: ['on'], hint: 'n/N maint on/off', help: 'pacemaker.maintenance on the node or resource (the whole cluster: :act pacemaker.maintenance on)' },
  { key: 'N', action: 'pacemaker.maintenance', lead: ['off'], help: 'pacemaker.maintenance off the node or resource' },
  { key: 'a', action: 'etcd.alarm-disarm', whole: true, hint: 'a disarm alarms', help: 'etcd.alarm-disarm: clear the cluster\'s alarms (NOSPACE, CORRUPT)' },
];

/** An action's key on its panes: the operator's own, else the built-in table's. */
export const actionKey = (a: AnyAction): string | undefined => a.custom?.key ?? PANE_ACTION_KEYS[a.name];

/** How the key line names it: a built-in without its service prefix (`drain`), yours whole. */
export const actionHint = (a: AnyAction): string => `${actionKey(a)} ${a.custom ? a.name : a.name.slice(a.name.indexOf('.') + 1)}`;

/** The actions with a key that fit the pane: the operator's first (theirs wins a shared key), then by name. */
export function paneActions(actions: readonly AnyAction[], pane: PaneKind | undefined): AnyAction[] {
  const scopes = pane ? PANE_SCOPES[pane] : undefined;
  if (!scopes) return [];
  const fit = actions.filter((a) => actionKey(a) !== undefined && scopes.includes(a.scope));
  return [...fit.filter((a) => a.custom), ...fit.filter((a) => !a.custom)];
}

/** The action a key starts on this pane, if any. */
export function paneActionForKey(actions: readonly AnyAction[], pane: PaneKind | undefined, keyName: string): AnyAction | undefined {
  return paneActions(actions, pane).find((a) => actionKey(a) === keyName);
}

/** The key forms this pane offers: their action is loaded and fits the pane, and no action of the pane has the key. */
export function paneKeyForms(actions: readonly AnyAction[], pane: PaneKind | undefined): PaneKeyForm[] {
  const scopes = pane ? PANE_SCOPES[pane] : undefined;
  if (!scopes) return [];
  const taken = new Set(paneActions(actions, pane).map(actionKey));
  return PANE_KEY_FORMS.filter((f) => !taken.has(f.key) && actions.some((a) => a.name === f.action && scopes.includes(a.scope)));
}

/** The Actions pane's key on a finished pacemaker.move or .ban: plans pacemaker.clear of its resource. */
export const CLEAR_AFTER_KEY = 'C';

/** The Databases pane's own keys (databases-keys.ts) are there when its actions are. */
const databaseActionsLoaded = (actions: readonly AnyAction[]): boolean => actions.some((a) => a.name === 'postgresql.promote' || a.name === 'mysql.promote');

/** The key forms (and the Actions pane's clear) as `?` lists them, for the actions loaded. */
export function keyFormHelp(actions: readonly AnyAction[]): { key: string; help: string }[] {
  const loaded = (name: string) => actions.some((a) => a.name === name);
  return [
    ...PANE_KEY_FORMS.filter((f) => loaded(f.action)).map((f) => ({ key: f.key, help: f.help })),
    ...(loaded('pacemaker.clear') ? [{ key: CLEAR_AFTER_KEY, help: 'Actions pane: pacemaker.clear after a finished move or ban' }] : []),
    ...(loaded('sync.apply') ? SYNC_KEY_HELP : []),
    ...(loaded('alertmanager.silence') ? ALERTS_KEY_HELP : []),
    ...(loaded('rebalance') ? REBALANCE_KEY_HELP : []),
    ...(databaseActionsLoaded(actions) ? DATABASES_KEY_HELP : []),
    ...(loaded('deploy') ? DEPLOY_KEY_HELP : []),
  ];
}

/** Keys a pane handles itself for an action (a jump bound to the same key yields to them there). */
export function paneOwnKeys(actions: readonly AnyAction[], pane: PaneKind | undefined): string[] {
  if (pane === 'databases') return databaseActionsLoaded(actions) ? Object.values(DATABASES_KEYS) : [];
  if (pane === 'deploy') return actions.some((a) => a.name === 'deploy') ? Object.values(DEPLOY_KEYS) : [];
  return pane === 'cluster-load' && actions.some((a) => a.name === 'rebalance') ? [REBALANCE_KEY] : [];
}

/** The key line's action words for the pane: its actions', then the key forms'. */
export function paneKeyHints(actions: readonly AnyAction[], pane: PaneKind | undefined): string[] {
  if (pane === 'actions') return actions.some((a) => a.name === 'pacemaker.clear') ? [`${CLEAR_AFTER_KEY} clear after move/ban`] : [];
  if (pane === 'sync') return actions.some((a) => a.name === 'sync.apply') ? [...SYNC_KEY_HINTS] : [];
  if (pane === 'alerts') return actions.some((a) => a.name === 'alertmanager.silence') ? [...ALERTS_KEY_HINTS] : [];
  if (pane === 'cluster-load') return actions.some((a) => a.name === 'rebalance') ? [...REBALANCE_KEY_HINTS] : [];
  if (pane === 'databases') return databaseActionsLoaded(actions) ? [...DATABASES_KEY_HINTS] : [];
  if (pane === 'deploy') return actions.some((a) => a.name === 'deploy') ? [...DEPLOY_KEY_HINTS] : [];
  return [...paneActions(actions, pane).map(actionHint), ...paneKeyForms(actions, pane).flatMap((f) => (f.hint ? [f.hint] : []))];
}

/** The service the pane's cursor is in (`pacemaker:prod`, `haproxy:lb01`), if any. */
export const cursorService = (pane: PaneKind, ui: Pick<UiState, 'cursors'>): string | undefined => ui.cursors[pane]?.id?.split('\u0000')[0] || undefined;

export type CustomTarget = { target: string } | { problem: string };

/**
 * What the cursor gives the action: a host filter for the one host under the
 * cursor (host), the selection's filter (selection), else the service item's
 * name (`app/web2`, `web-group`, `node2`, `etcd2`).
 */
export function customTarget(def: AnyAction, pane: PaneKind, ui: Pick<UiState, 'cursorHost' | 'cursors'>, state: Pick<BatonState, 'services'>, selectionFilter: () => string, exactHost: (id: string) => string): CustomTarget {
  if (def.scope === 'selection') return { target: selectionFilter() };
  if (def.scope === 'host') return ui.cursorHost ? { target: exactHost(ui.cursorHost) } : { problem: 'no host under the cursor' };
  const [serviceId, item] = (ui.cursors[pane]?.id ?? '').split('\u0000');
  const parsed = item === undefined ? undefined : parseItem(item);
  const wanted = ITEM_OF[def.scope] ?? [];
  if (!parsed || !wanted.includes(parsed.type)) return { problem: `${def.name} runs on a ${wanted.join(' or ')}: put the cursor on one` };
  if (parsed.type !== 'member') return { target: parsed.name };
  // The etcd pane knows members by id; the action by name.
  const members = (state.services[serviceId!]?.snapshot as EtcdSnapshot | undefined)?.members ?? [];
  const member = members.find((m) => (m.id ?? m.name) === parsed.name);
  return member?.name ? { target: member.name } : { problem: 'this member has no name yet (not started)' };
}
