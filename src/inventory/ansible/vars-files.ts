// group_vars/ and host_vars/ beside an inventory, found as Ansible's
// host_group_vars plugin finds them: `<dir>/<name>` with no extension, else
// `.yml`, `.yaml`, `.json` (the first that exists); a directory of that name
// gives every file in it (sorted, recursively, no hidden or backup files).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InventoryError } from '../errors.js';
import { YamlSource } from '../yaml-source.js';
import type { VarMap } from './model.js';
import { encryptedFileWarning, isVaultFile, markVaultValues } from './vault.js';
import { isMapping } from './yaml-inventory.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

export interface VarsFileProblems {
  errors: InventoryError[];
  warnings: InventoryError[];
}

/** Whether `<basedir>/<subdir>/` exists: without it, no name needs looking up. */
export async function hasVarsDir(basedir: string, subdir: 'group_vars' | 'host_vars'): Promise<boolean> {
  return (await kindOf(path.join(basedir, subdir))) === 'dir';
}

/** The vars of `name` from `<basedir>/<subdir>/`, later files winning; empty when there are none. */
export async function readVarsFor(basedir: string, subdir: 'group_vars' | 'host_vars', name: string, problems: VarsFileProblems): Promise<VarMap> {
  const vars: VarMap = new Map();
  // Ansible skips names that are absolute paths (chroot-style inventory names).
  if (name.startsWith('/')) return vars;
  for (const file of await findVarsFiles(path.join(basedir, subdir), name)) {
    for (const [key, located] of await readVarsFile(file, problems)) vars.set(key, located);
  }
  return vars;
}

async function findVarsFiles(dir: string, name: string): Promise<string[]> {
  for (const ext of EXTENSIONS) {
    const candidate = path.join(dir, name + ext);
    const kind = await kindOf(candidate);
    if (kind === 'dir') return dirVarsFiles(candidate);
    if (kind === 'file') return [candidate];
  }
  return [];
}

async function dirVarsFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir)).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = path.join(dir, entry);
    const ext = path.extname(entry);
    const kind = await kindOf(full);
    if (kind === 'dir' && ext === '') found.push(...(await dirVarsFiles(full)));
    else if (kind === 'file' && EXTENSIONS.includes(ext)) found.push(full);
  }
  return found;
}

async function kindOf(file: string): Promise<'file' | 'dir' | undefined> {
  try {
    const info = await stat(file);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

async function readVarsFile(file: string, problems: VarsFileProblems): Promise<VarMap> {
  const vars: VarMap = new Map();
  const text = await readFile(file, 'utf8');
  if (isVaultFile(text)) {
    problems.warnings.push(encryptedFileWarning(file));
    return vars;
  }
  const source = new YamlSource(file, text);
  if (source.syntaxErrors.length > 0) {
    problems.errors.push(...source.syntaxErrors);
    return vars;
  }
  markVaultValues(source);
  const data = source.toJS();
  // An empty file is no variables, as in Ansible.
  if (data === null || data === undefined) return vars;
  if (!isMapping(data)) {
    problems.errors.push(new InventoryError({ file, line: 1, column: 1 }, 'a vars file holds a mapping of variable: value'));
    return vars;
  }
  for (const key of source.keysInOrder([], data)) vars.set(key, { value: data[key], where: source.at([key], { key: true }) });
  return vars;
}
