// Reads the operator's own actions: every *.yaml in ~/.config/baton/actions/
// and in actions/ beside the inventory. Each file holds one action, or a
// list under `actions:`. Every problem is an error at file:line:column, all
// at once, and a broken file adds no action (the others still load).
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { InventoryError, type SourcePosition } from '../../inventory/errors.js';
import { zodIssueErrors, issuePath } from '../../inventory/yaml-issues.js';
import { YamlSource, type YamlPath } from '../../inventory/yaml-source.js';
import { CUSTOM_ACTION_KEYS, customActionSchema, SCOPE_VARIABLES, type CustomActionSpec } from './custom-action-spec.js';
import { templateUses } from './command-template.js';

export interface LoadedCustomAction {
  spec: CustomActionSpec;
  /** Where its name was written, for errors about the action as a whole (a clash with another). */
  at: SourcePosition;
}

export interface CustomActionsLoad {
  actions: LoadedCustomAction[];
  errors: InventoryError[];
}

/** The directories searched, in order: the operator's, then the inventory's. */
export function customActionDirs(inventoryFile: string | undefined, configDir = join(homedir(), '.config', 'baton')): string[] {
  return [join(configDir, 'actions'), ...(inventoryFile ? [join(dirname(inventoryFile), 'actions')] : [])];
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

export function loadCustomActions(dirs: readonly string[]): CustomActionsLoad {
  const actions: LoadedCustomAction[] = [];
  const errors: InventoryError[] = [];
  for (const file of [...new Set(dirs)].flatMap(yamlFiles)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      errors.push(new InventoryError({ file }, `cannot read: ${(err as Error).message}`));
      continue;
    }
    const source = new YamlSource(file, text);
    if (source.syntaxErrors.length) {
      errors.push(...source.syntaxErrors);
      continue;
    }
    const doc = source.toJS();
    const list: [YamlPath, unknown][] =
      doc !== null && typeof doc === 'object' && 'actions' in doc
        ? Array.isArray((doc as { actions: unknown }).actions)
          ? ((doc as { actions: unknown[] }).actions.map((a, i) => [['actions', i], a]) as [YamlPath, unknown][])
          : []
        : [[[], doc]];
    if (list.length === 0) errors.push(source.error(['actions'], 'expected a list of actions'));
    for (const [path, value] of list) {
      const spec = parseOne(source, path, value, errors);
      if (spec) actions.push({ spec, at: source.at([...path, 'name']) });
    }
  }
  return { actions, errors };
}

function parseOne(source: YamlSource, path: YamlPath, value: unknown, errors: InventoryError[]): CustomActionSpec | undefined {
  const parsed = customActionSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(...zodIssueErrors(issue, [...path, ...issuePath(issue)], source, () => CUSTOM_ACTION_KEYS));
    return undefined;
  }
  const spec = parsed.data;
  const before = errors.length;
  if (spec.command.includes('\0')) errors.push(source.error([...path, 'command'], 'contains a NUL byte'));
  const allowed = SCOPE_VARIABLES[spec.scope];
  for (const text of [spec.command, typeof spec.verify === 'string' ? spec.verify : spec.verify && 'command' in spec.verify ? spec.verify.command : '']) {
    for (const name of templateUses(text).variables) {
      // An upper-case name the scope does not give stays the shell's ($PATH); one that looks like ours is a slip.
      if (!allowed.includes(name) && Object.values(SCOPE_VARIABLES).some((v) => v.includes(name))) {
        errors.push(source.error([...path, 'command'], `$${name} is not set for scope ${spec.scope}; it gives ${allowed.map((v) => `$${v}`).join(', ')}`));
      }
    }
  }
  return errors.length === before ? spec : undefined;
}
