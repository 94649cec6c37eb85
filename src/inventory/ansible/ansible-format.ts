// Telling an Ansible inventory from baton's other formats by what is in it:
// an INI file has a `[group]` section or a `host key=value` line; a YAML
// inventory is a mapping of groups (`all:`, or groups made only of `hosts:`,
// `children:`, `vars:`); a dynamic inventory script starts with `#!` or is
// an executable binary.
import { parse } from 'yaml';
import { isMapping } from './yaml-inventory.js';

const SECTION_LINE = /^\s*\[[^:\]\s]+(?::\w+)?\]\s*(?:[#;].*)?$/m;
const HOST_WITH_VARS = /^\s*[^\s#;[=]\S*\s+[A-Za-z_]\w*=/m;
const GROUP_KEYS = new Set(['hosts', 'children', 'vars']);

export function looksLikeAnsibleIni(text: string): boolean {
  return SECTION_LINE.test(text) || HOST_WITH_VARS.test(text);
}

/** For YAML already known to parse: is it an Ansible inventory rather than a baton one? */
export function looksLikeAnsibleYaml(data: unknown): boolean {
  if (!isMapping(data)) return false;
  if ('all' in data || 'plugin' in data) return true;
  const groups = Object.values(data);
  return (
    groups.length > 0 &&
    groups.every((g) => g === null || (isMapping(g) && Object.keys(g).every((k) => GROUP_KEYS.has(k)))) &&
    groups.some((g) => isMapping(g) && Object.keys(g).length > 0)
  );
}

/** The text parsed as YAML, or undefined when it is not YAML at all. */
export function parseYamlQuietly(text: string): unknown {
  try {
    return parse(text, { logLevel: 'silent', maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

export function isInventoryScript(text: string, executable: boolean): boolean {
  return text.startsWith('#!') || (executable && text.includes('\0'));
}
