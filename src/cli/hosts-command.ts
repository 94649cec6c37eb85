// `baton hosts`: the resolved inventory, as baton will contact it.
import { loadInventory } from '../inventory/load.js';
import { visibleText } from '../ui/visible-text.js';
import { printNotice } from './notice.js';
import type { GlobalOptions } from './options.js';
import { textTable } from './text-table.js';

export async function runHosts(options: GlobalOptions): Promise<number> {
  const inventory = await loadInventory(options.inventory, { user: options.user, identity: options.identity, inventoryScript: options.inventoryScript });
  for (const warning of inventory.warnings ?? []) printNotice(warning);
  if (options.json) {
    process.stdout.write(JSON.stringify(inventory, null, 2) + '\n');
    return 0;
  }
  const rows = inventory.hosts.map((h) => [
    h.id,
    h.transport === 'local' ? 'local' : `${h.user}@${h.address}:${h.port}`,
    h.jump.map((j) => `${j.user}@${j.address}:${j.port}`).join(',') || '-',
    h.groups.join(',') || '-',
    Object.entries(h.tags).map(([k, v]) => `${k}=${v}`).join(',') || '-',
    Object.keys(h.roles).join(',') || '-',
  ]);
  process.stdout.write(`# ${visibleText(inventory.name)} (${inventory.format}${inventory.file ? `: ${visibleText(inventory.file)}` : ''}), ${inventory.hosts.length} hosts\n`);
  process.stdout.write(textTable(['HOST', 'TARGET', 'JUMP', 'GROUPS', 'TAGS', 'ROLES'], rows));
  return 0;
}
