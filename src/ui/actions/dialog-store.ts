// Which action dialog is open, if any: the `!` command prompt, the confirm
// dialog, the abort question, an action's output, the interrupted actions
// found at start, the Pacemaker node picker, the HAProxy weight prompt. Its own small store: only the dialog re-renders as the
// operator types. While one is open the console's mode is 'dialog', so the
// view's keys rest.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActionSummary } from '../../ops/engine/history.js';
import type { Plan } from '../../ops/engine/plan.js';
import type { AnyAction } from '../../ops/engine/registry.js';
import type { DrillDialog } from '../drills/drill-dialogs.js';
import type { RebalanceForm } from '../rebalance/rebalance-form.js';
import type { DeployPick } from '../deploy/deploy-pick.js';
import type { PickVerb } from './node-choices.js';

/** The hosts a `!` command runs on, and how they were chosen (for the prompt). */
export interface ExecTargets {
  /** A host filter the exec action plans from. */
  filter: string;
  hosts: string[];
  how: string;
}

export type Dialog =
  | { kind: 'prompt'; targets: ExecTargets; input: string; error?: string }
  | { kind: 'confirm'; plan: Plan; def: AnyAction; typed: string; error?: string }
  | { kind: 'abort'; actionId: string; title: string }
  | { kind: 'output'; actionId: string }
  | { kind: 'interrupted'; items: ActionSummary[]; cursor: number; error?: string }
  /** pacemaker.move/ban: the node to act on; a move may pin (keep its constraint), for a lifetime. `member`: the primitive the cursor was on, when `resource` is its group or clone. */
  | { kind: 'node-picker'; verb: PickVerb; resource: string; cluster: string; cursor: number; pin: boolean; lifetime: string; typingLifetime: boolean; error?: string; member?: string }
  /** haproxy.weight: the change typed for BACKEND/SERVER; `service` is the HAProxy pane's service id. */
  | { kind: 'weight'; server: string; service: string; input: string; error?: string }
  /** R on the Cluster load pane: strategy, levers and band, before the plan. */
  | { kind: 'rebalance'; form: RebalanceForm; error?: string }
  /** F on the Databases pane, refused while another server answers as primary: the choice "old primary is fenced". */
  | { kind: 'fenced'; action: string; host: string; set: string; reason: string; hint: string }
  /** D: pick a drill, confirm its plan; at start, the drills cut off mid-drill. */
  | ({ kind: 'drill' } & DrillDialog)
  /** n on the Deploy pane: a deploy and its release, before the plan. */
  | ({ kind: 'deploy-pick' } & DeployPick);

export interface DialogState {
  dialog?: Dialog;
  open(dialog: Dialog): void;
  /** Changes the open dialog if it is still of that kind. */
  update<K extends Dialog['kind']>(kind: K, change: (d: Extract<Dialog, { kind: K }>) => Partial<Extract<Dialog, { kind: K }>>): void;
  close(): void;
}

export type DialogStore = StoreApi<DialogState>;

export function createDialogStore(): DialogStore {
  return createStore<DialogState>()((set, get) => ({
    dialog: undefined,
    open: (dialog) => set({ dialog }),
    update: (kind, change) => {
      const d = get().dialog;
      if (d?.kind === kind) set({ dialog: { ...d, ...change(d as Extract<Dialog, { kind: typeof kind }>) } as Dialog });
    },
    close: () => set({ dialog: undefined }),
  }));
}
