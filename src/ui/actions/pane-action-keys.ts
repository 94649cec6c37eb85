// Actions by key in the panes they fit: a host action on the hosts pane's
// cursor (or selection), a server action on the HAProxy pane's server, a
// resource or node action on the Pacemaker pane's, a member action on the
// etcd pane's. The built-in failover actions that need no more than the item
// have a key here; the operator's own bring theirs. Which actions a pane
// offers, and what the cursor gives them as their target. Pure.
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { AnyAction } from '../../ops/engine/registry.js';
import type { BatonState } from '../../store/types.js';
import { parseItem, type ItemType } from '../panes/service-items.js';
import type { UiState } from '../state/ui-store.js';
import type { PaneKind } from '../views/pane-kinds.js';

const PANE_SCOPES: Partial<Record<PaneKind, readonly string[]>> = {
  hosts: ['host', 'selection'],
  haproxy: ['haproxy.server', 'haproxy.backend'],
  pacemaker: ['pacemaker.resource', 'pacemaker.node'],
  etcd: ['etcd.member'],
};

/** The service item type a scope's target is. */
const ITEM_OF: Record<string, ItemType> = {
  'haproxy.server': 'server',
  'haproxy.backend': 'backend',
  'pacemaker.resource': 'resource',
  'pacemaker.node': 'node',
  'etcd.member': 'member',
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
  'pacemaker.disable': 'D',
  'pacemaker.enable': 'E',
  'etcd.move-leader': 'L',
  'etcd.defrag': 'F',
};

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
  const wanted = ITEM_OF[def.scope];
  if (!parsed || parsed.type !== wanted) return { problem: `${def.name} runs on a ${wanted}: put the cursor on one` };
  if (parsed.type !== 'member') return { target: parsed.name };
  // The etcd pane knows members by id; the action by name.
  const members = (state.services[serviceId!]?.snapshot as EtcdSnapshot | undefined)?.members ?? [];
  const member = members.find((m) => (m.id ?? m.name) === parsed.name);
  return member?.name ? { target: member.name } : { problem: 'this member has no name yet (not started)' };
}
