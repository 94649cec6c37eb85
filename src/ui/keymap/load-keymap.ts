// <configDir>/keys.yaml: `action: key` or `action: [key, key]`. A key the
// operator binds is taken away from its default action, so it does one thing.
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfig, readOptionalFile, type ConfigProblem } from '../config/yaml-file.js';
import { ACTION_NAMES, buildKeymap, DEFAULT_BINDINGS, DEFAULT_KEYMAP, KEY_NAME, type Action, type Keymap } from './keymap.js';

const KeyString = z.string().regex(KEY_NAME, 'unknown key name (a printable character, ctrl+x, up, down, left, right, pageup, pagedown, home, end, enter, escape, tab, shift+tab, space, backspace; 1-9 switch views)');
const KeysFile = z.partialRecord(z.enum(ACTION_NAMES as [Action, ...Action[]]), z.union([KeyString, z.array(KeyString)])).nullable();

export function parseKeymap(file: string, text: string): { keymap: Keymap; problem?: ConfigProblem } {
  const result = parseConfig(file, text, KeysFile);
  if (!result.ok) return { keymap: DEFAULT_KEYMAP, problem: { ...result.problem, message: `${result.problem.message} (default keys used)` } };
  const overrides = result.value ?? {};
  const taken = new Set(Object.values(overrides).flatMap((k) => (typeof k === 'string' ? [k] : k)));
  const bindings = {} as Record<Action, readonly string[]>;
  for (const action of ACTION_NAMES) {
    const own = overrides[action];
    bindings[action] = own === undefined ? DEFAULT_BINDINGS[action].filter((k) => !taken.has(k)) : typeof own === 'string' ? [own] : own;
  }
  return { keymap: buildKeymap(bindings) };
}

export function loadKeymap(configDir: string): { keymap: Keymap; problems: ConfigProblem[] } {
  const file = join(configDir, 'keys.yaml');
  let text: string | undefined;
  try {
    text = readOptionalFile(file);
  } catch (err) {
    return { keymap: DEFAULT_KEYMAP, problems: [{ file, message: (err as Error).message }] };
  }
  if (text === undefined) return { keymap: DEFAULT_KEYMAP, problems: [] };
  const { keymap, problem } = parseKeymap(file, text);
  return { keymap, problems: problem ? [problem] : [] };
}
