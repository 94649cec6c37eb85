// What a drill would do if it started now, for the console's confirm
// dialog: the fault and the restore with their placeholders read from
// baton's state the way the runner reads them, the lock keys (the blast
// radius), and what stands in the way. Pure over the state.
import type { Inventory } from '../../inventory/types.js';
import type { BatonState } from '../../store/types.js';
import { drillLockKeys } from './drill-locks.js';
import { resolvePlaceholders, stringsIn, substituteAll } from './drill-placeholders.js';
import { INJECT_KINDS, type DrillSpec } from './drill-spec.js';
import { injectOp, labelOf, restoreOp } from './drill-steps.js';
import { implicitRestore } from './implicit-restore.js';

export interface DrillPreview {
  inject: string;
  restore: string[];
  locks: string[];
  placeholders: Record<string, string>;
  /** Why it cannot start now (a placeholder baton cannot read yet, no etcd leader); the runner would refuse too. */
  problem?: string;
}

export function previewDrill(spec: DrillSpec, state: BatonState, inventory: Inventory): DrillPreview {
  const restoreSpec = spec.restore ?? implicitRestore(spec.inject) ?? [];
  const resolved = resolvePlaceholders(stringsIn([spec.inject, restoreSpec, spec.expect, spec.abort_if]), state, inventory);
  const values = 'values' in resolved ? resolved.values : {};
  const inject = substituteAll(spec.inject, values);
  const op = injectOp(inject, { store: { getState: () => state } });
  const kind = INJECT_KINDS.find((k) => spec.inject[k] !== undefined);
  return {
    inject: 'error' in op ? `${kind} ${JSON.stringify(kind ? spec.inject[kind] : '').replace(/"/g, '')}` : labelOf(op),
    restore: substituteAll(restoreSpec, values).map((r) => labelOf(restoreOp(r))),
    locks: drillLockKeys(inject, inventory),
    placeholders: values,
    ...('error' in resolved ? { problem: resolved.error } : 'error' in op ? { problem: op.error } : {}),
  };
}
