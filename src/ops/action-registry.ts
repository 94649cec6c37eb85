// The registry a console or CLI run uses: every built-in action, then the
// operator's own (~/.config/baton/actions/, actions/ beside the inventory).
// A custom action may not take a built-in's name, nor one another file took.
import { InventoryError } from '../inventory/errors.js';
import type { Inventory } from '../inventory/types.js';
import { builtinActions } from './builtin-actions.js';
import { customAction } from './custom/custom-action.js';
import { customActionDirs, loadCustomActions } from './custom/load-custom-actions.js';
import type { ActionRegistry } from './engine/registry.js';

export interface LoadedRegistry {
  registry: ActionRegistry;
  /** Problems in the operator's action files: shown, and those files' actions left out. */
  errors: InventoryError[];
}

export function loadActionRegistry(inventory: Pick<Inventory, 'file'>, configDir?: string): LoadedRegistry {
  const registry = builtinActions();
  const { actions, errors } = loadCustomActions(customActionDirs(inventory.file, configDir));
  const firstAt = new Map<string, string>();
  for (const { spec, at } of actions) {
    if (registry.get(spec.name)) {
      const where = firstAt.get(spec.name);
      errors.push(new InventoryError(at, `name: ${spec.name} is already ${where ? `defined at ${where}` : 'a built-in action'}`, 'give the action another name'));
      continue;
    }
    registry.register(customAction(spec, at.file));
    firstAt.set(spec.name, `${at.file}:${at.line ?? 1}`);
  }
  return { registry, errors };
}
