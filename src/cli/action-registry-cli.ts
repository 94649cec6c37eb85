// The actions a CLI run knows: the built-in ones and the operator's own YAML
// ones. A broken action file is reported (file:line:column) and left out;
// the rest still work.
import { loadActionRegistry } from '../ops/action-registry.js';
import type { ActionRegistry } from '../ops/engine/registry.js';
import { printNotice } from './notice.js';

export function cliRegistry(inventoryFile: string | undefined): ActionRegistry {
  const { registry, errors } = loadActionRegistry({ file: inventoryFile });
  for (const e of errors) printNotice(`skipping an action: ${e.message}`, e.hint);
  return registry;
}
