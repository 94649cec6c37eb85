// Where a strip item's jump key goes: the service's pane in the view on
// screen when it has one, else in the first view (number-key order) that
// does. An action key of the focused pane (the operator's own, a built-in
// or a key form) on the same key wins, so no action an operator had is lost
// to a jump key. Pure.
import type { AnyAction } from '../../ops/engine/registry.js';
import type { ServiceKind } from '../../store/services.js';
import { paneActionForKey, paneKeyForms, paneOwnKeys } from '../actions/pane-action-keys.js';
import type { Action } from '../keymap/keymap.js';
import { viewPanes } from '../layout.js';
import type { PaneKind } from '../views/pane-kinds.js';
import type { ViewDef } from '../views/view.js';

export const JUMP_ACTIONS: Readonly<Record<ServiceKind, Action>> = {
  pacemaker: 'jumpPacemaker',
  haproxy: 'jumpHaproxy',
  etcd: 'jumpEtcd',
  nginx: 'jumpNginx',
  queues: 'jumpQueues',
  alerts: 'jumpAlerts',
  postgresql: 'jumpDatabases',
  mysql: 'jumpDatabases',
};

/** The pane a service kind is shown in, when not the pane of its own name. */
const PANE_OF: Partial<Record<ServiceKind, PaneKind>> = { postgresql: 'databases', mysql: 'databases' };

/** The service kind a jump action goes to; undefined for other actions. */
export function jumpKind(action: Action): ServiceKind | undefined {
  return (Object.keys(JUMP_ACTIONS) as ServiceKind[]).find((k) => JUMP_ACTIONS[k] === action);
}

export interface JumpTarget {
  view: string;
  /** The pane's index in the view's focus order. */
  focus: number;
}

/**
 * `views` sorted as the number keys are; undefined when no view has the pane.
 * The current view's pane first, then the first view that shows it whole,
 * then one that shows it compact (the incident view): a jump from elsewhere
 * is to act on the service, which its compact form does not list.
 */
export function jumpTarget(views: readonly ViewDef[], current: string, kind: ServiceKind): JumpTarget | undefined {
  const pane = PANE_OF[kind] ?? kind;
  const targets = views.flatMap((view) => {
    const focus = viewPanes(view).findIndex((p) => p.pane === pane);
    return focus < 0 ? [] : [{ view: view.name, focus, rank: view.name === current ? 0 : viewPanes(view)[focus]!.compact ? 2 : 1 }];
  });
  const best = targets.reduce<(typeof targets)[number] | undefined>((a, t) => (a === undefined || t.rank < a.rank ? t : a), undefined);
  return best && { view: best.view, focus: best.focus };
}

/** True when `keyName` starts an action on the focused pane: the jump bound to it yields. */
export function paneActionOwnsKey(actions: readonly AnyAction[], pane: PaneKind | undefined, keyName: string): boolean {
  return paneActionForKey(actions, pane, keyName) !== undefined || paneKeyForms(actions, pane).some((f) => f.key === keyName) || paneOwnKeys(actions, pane).includes(keyName);
}
