// ~/.config/baton/config.yaml ($XDG_CONFIG_HOME/baton/config.yaml): defaults
// for the options an operator repeats. Keys are the long option names; a
// value given on the command line wins. Errors point at file:line:column,
// as the inventory's do, and stop baton before it contacts anything.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { didYouMean } from '../inventory/did-you-mean.js';
import { InventoryErrors, type InventoryError } from '../inventory/errors.js';
import { YamlSource } from '../inventory/yaml-source.js';
import { loadConsoleConfig } from '../ui/config/load-console-config.js';
import { defaultConfigDir } from '../ui/config/paths.js';

export interface ConfigDefaults {
  inventory?: string;
  interval?: number;
  theme?: string;
  view?: string;
  knownHosts?: string;
  readOnly?: boolean;
}

const path = z.string().min(1, 'expected a file name');
const schema = z
  .strictObject({
    inventory: path,
    interval: z.number('expected seconds > 0 (e.g. 0.5, 2, 30)').positive('expected seconds > 0 (e.g. 0.5, 2, 30)').max(86400, 'expected at most 86400 seconds'),
    theme: z.string('expected a theme name'),
    view: z.string('expected a view name'),
    'known-hosts': path,
    'read-only': z.boolean('expected true or false'),
  })
  .partial();
const KEYS = Object.keys(schema.shape);

/** XDG: an absolute $XDG_CONFIG_HOME, else ~/.config. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'baton', 'config.yaml');
}

/** A file name in the config: ~ is the home directory, a relative one is beside config.yaml. */
function fileBeside(file: string, name: string): string {
  if (name === '~' || name.startsWith('~/')) return join(homedir(), name.slice(1));
  return resolve(dirname(file), name);
}

function namesProblem(source: YamlSource, key: 'theme' | 'view', name: string, known: string[]): InventoryError | undefined {
  if (known.includes(name)) return undefined;
  return source.error([key], `no ${key} ${JSON.stringify(name)}; expected one of ${known.join(', ')}`, { hint: didYouMean(name, known) });
}

/** The defaults in `text` (read from `file`); throws InventoryErrors naming each problem's position. */
export function parseConfigFile(file: string, text: string): ConfigDefaults {
  const source = new YamlSource(file, text);
  if (source.syntaxErrors.length > 0) throw new InventoryErrors(source.syntaxErrors);
  const value = source.toJS() ?? {};
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InventoryErrors(
      result.error.issues.flatMap((issue) => {
        const at = issue.path.filter((p) => typeof p !== 'symbol');
        if (issue.code === 'unrecognized_keys') {
          return issue.keys.map((key) => source.error([key], `unknown key; expected one of ${KEYS.join(', ')}`, { key: true, hint: didYouMean(key, KEYS) }));
        }
        const got = source.describe(at);
        return [source.error(at, got === undefined ? issue.message : `${issue.message}, got ${got}`)];
      }),
    );
  }
  const data = result.data;
  if (data.theme !== undefined || data.view !== undefined) {
    const consoleConfig = loadConsoleConfig(defaultConfigDir());
    const problems = [
      data.theme === undefined ? undefined : namesProblem(source, 'theme', data.theme, [...consoleConfig.themes.keys()]),
      data.view === undefined ? undefined : namesProblem(source, 'view', data.view, consoleConfig.views.map((v) => v.name)),
    ].filter((p) => p !== undefined);
    if (problems.length > 0) throw new InventoryErrors(problems);
  }
  return {
    inventory: data.inventory === undefined ? undefined : fileBeside(file, data.inventory),
    interval: data.interval,
    theme: data.theme,
    view: data.view,
    knownHosts: data['known-hosts'] === undefined ? undefined : fileBeside(file, data['known-hosts']),
    readOnly: data['read-only'],
  };
}

/** The defaults from config.yaml; none when there is no such file. */
export function loadConfigFile(file = configFilePath()): ConfigDefaults {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  return parseConfigFile(file, text);
}

/**
 * Sets each default on every command that has the option, as commander's
 * 'config' source: a flag on the command line still replaces it.
 */
export function applyConfigFile(program: Command, defaults: ConfigDefaults): void {
  const visit = (cmd: Command) => {
    for (const option of cmd.options) {
      const key = option.attributeName() as keyof ConfigDefaults;
      const value = defaults[key];
      if (value !== undefined && !option.negate) cmd.setOptionValueWithSource(key, value, 'config');
    }
    cmd.commands.forEach(visit);
  };
  visit(program);
}
