// Ansible's INI inventory dialect, read as ansible.plugins.inventory.ini
// reads it: lines before any section are `[ungrouped]`; `host k=v k2="a b"`
// (split like shlex, values through literal_eval); `[g:children]` names
// groups declared anywhere in the file; `[g:vars]` only for declared groups.
import { InventoryError, type SourcePosition } from '../errors.js';
import { quoteSnippet } from '../quote-snippet.js';
import { expandHostPattern, HostPatternError } from './host-pattern.js';
import type { AnsibleInventory } from './model.js';
import { pythonLiteral } from './python-literal.js';
import { shellWords, ShellWordsError } from './shell-words.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

/** Adds the file's groups, hosts and vars to `inventory`; problems go to `errors`. */
export function readIniInventory(text: string, file: string, inventory: AnsibleInventory, errors: InventoryError[]): void {
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where: SourcePosition = { file, line: index + 1, column: raw.length - raw.trimStart().length + 1 };
    const fail = (detail: string, hint?: string) => errors.push(new InventoryError(where, detail, hint));
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1] ?? '';
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        fail(`section ${quoteSnippet(line)} has unknown type "${state}"`, 'use [group], [group:children] or [group:vars]');
        state = 'skip';
        return;
      }
      if (!inventory.groups.has(group)) {
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: index + 1, state, parents: [] });
        inventory.addGroup(group);
      }
      const waiting = pending.get(group);
      if (waiting !== undefined && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(group, pending, inventory);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`invalid section ${quoteSnippet(line)}`, 'a section is [group], [group:children] or [group:vars], without spaces');
      return;
    }
    if (state === 'hosts') readHostLine(line, where, group, inventory, fail);
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value, got ${quoteSnippet(line)}`);
      else inventory.setGroupVar(group, line.slice(0, eq).trim(), pythonLiteral(line.slice(eq + 1).trim()), where);
    } else if (state === 'children') {
      const child = GROUP_NAME.exec(line)?.[1];
      if (child === undefined) fail(`expected a group name, got ${quoteSnippet(line)}`);
      else if (!inventory.groups.has(child)) {
        const waiting = pending.get(child);
        if (waiting === undefined) pending.set(child, { line: index + 1, state: 'children', parents: [group] });
        else waiting.parents.push(group);
      } else if (!inventory.addChild(group, child)) fail(`group "${child}" as a child of "${group}" makes a cycle`);
    }
  });
  for (const [name, decl] of pending) {
    const where = { file, line: decl.line };
    errors.push(
      decl.state === 'vars'
        ? new InventoryError(where, `[${name}:vars] for a group never declared`, `declare it with [${name}] or [${name}:children]`)
        : new InventoryError(where, `[${decl.parents.at(-1) ?? ''}:children] names an undeclared group "${name}"`, `declare it with [${name}]`),
    );
  }
}

function addPendingChildren(group: string, pending: Map<string, Pending>, inventory: AnsibleInventory): void {
  for (const parent of pending.get(group)?.parents ?? []) {
    inventory.addChild(parent, group);
    if (pending.get(parent)?.state === 'children') addPendingChildren(parent, pending, inventory);
  }
  pending.delete(group);
}

function readHostLine(
  line: string,
  where: SourcePosition,
  group: string,
  inventory: AnsibleInventory,
  fail: (detail: string, hint?: string) => void,
): void {
  let tokens: string[];
  try {
    tokens = shellWords(line);
  } catch (error) {
    if (!(error instanceof ShellWordsError)) throw error;
    fail(`cannot split host line ${quoteSnippet(line)}: ${error.message}`);
    return;
  }
  const [pattern, ...assignments] = tokens;
  if (pattern === undefined) return;
  if (pattern === '---') {
    fail('"---" starts a YAML document, not an INI host', 'give a YAML inventory a .yaml or .yml extension');
    return;
  }
  const vars: [string, unknown][] = [];
  for (const token of assignments) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      fail(`expected key=value host variable, got ${quoteSnippet(token)}`);
      return;
    }
    vars.push([token.slice(0, eq), pythonLiteral(token.slice(eq + 1))]);
  }
  try {
    const { hosts, port } = expandHostPattern(pattern);
    for (const name of hosts) {
      inventory.addHost(name, where, group, port);
      for (const [key, value] of vars) inventory.setHostVar(name, key, value, where);
    }
  } catch (error) {
    if (!(error instanceof HostPatternError)) throw error;
    fail(error.message);
  }
}
