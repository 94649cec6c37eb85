// Ansible Vault: baton holds no vault password, so an encrypted value
// (`!vault |` in YAML) or file (`$ANSIBLE_VAULT;1.1;AES256` first line) is
// skipped and said so, at its file and line, instead of failing the load.
import { isScalar, visit } from 'yaml';
import { InventoryError, type SourcePosition } from '../errors.js';
import type { YamlSource } from '../yaml-source.js';

/** Stands for an encrypted value in the plain data read from YAML. */
export class VaultedValue {
  constructor(readonly where: SourcePosition) {}
}

export function isVaultFile(text: string): boolean {
  return text.startsWith('$ANSIBLE_VAULT;');
}

export function encryptedFileWarning(file: string): InventoryError {
  return new InventoryError({ file, line: 1, column: 1 }, 'Ansible Vault file: encrypted, skipped', 'baton reads no vault password; put the variables baton needs in a file that is not encrypted');
}

export function encryptedValueWarning(key: string, where: SourcePosition): InventoryError {
  return new InventoryError(where, `${key}: Ansible Vault value: encrypted, skipped`);
}

/** Replaces every `!vault` scalar of the document by a VaultedValue before toJS(). */
export function markVaultValues(source: YamlSource): void {
  visit(source.doc, {
    Scalar(_key, node) {
      if (node.tag !== '!vault' || !isScalar(node)) return;
      const offset = node.range?.[0] ?? 0;
      node.value = new VaultedValue(source.position(offset));
    },
  });
}

/** The first encrypted value inside `value` (itself, or nested in lists and mappings). */
export function findVaulted(value: unknown): VaultedValue | undefined {
  if (value instanceof VaultedValue) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = findVaulted(item);
    if (found !== undefined) return found;
  }
  return undefined;
}
