// Which loader reads a file: by extension for YAML, by the first directive
// for ssh_config (whose files rarely have an extension), else pssh.
import type { InventoryFormat } from './types.js';

export function detectFormat(file: string, text: string): Exclude<InventoryFormat, 'embedded'> {
  if (/\.ya?ml$/i.test(file)) return 'baton';
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return first !== undefined && /^\s*(host|match|include)[\s=]/i.test(first) ? 'ssh-config' : 'pssh';
}
