// Reads deploy pipelines: deploys/*.yaml beside the inventory, and the
// `deploys:` key of a baton inventory (NAME: pipeline, addressed as
// INVENTORY#NAME). Every problem is an error at file:line:column, all at
// once, the way drills and inventories report; the stage DAG (unknown needs,
// cycles, duplicates) is checked here, at load time, never in the middle of
// a deploy.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { detectFormat } from '../../inventory/detect-format.js';
import { didYouMean } from '../../inventory/did-you-mean.js';
import { InventoryError } from '../../inventory/errors.js';
import { zodIssueErrors, issuePath } from '../../inventory/yaml-issues.js';
import { YamlSource, type YamlPath } from '../../inventory/yaml-source.js';
import { deploySchema, keysAt, type DeploySpec } from './deploy-spec.js';
import { stageOrder } from './stage-order.js';

/** `file` is the deploy file, or INVENTORY#NAME for an entry of an inventory's `deploys:`. */
export type DeployLoad = { ok: true; deploy: DeploySpec; file: string; order: number[] } | { ok: false; file: string; errors: InventoryError[] };

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** INVENTORY#NAME: the deploy NAME of the inventory's `deploys:` key. */
const INLINE_REF = /^(.+)#([^#/]+)$/;

export function parseDeploy(file: string, text: string): DeployLoad {
  const source = new YamlSource(file, text);
  if (source.syntaxErrors.length) return { ok: false, file, errors: source.syntaxErrors };
  return checkDeploy(source, source.toJS(), [], file);
}

/** The deploy at `at` in `source` (the whole file, or an inventory's deploys.NAME), checked. */
function checkDeploy(source: YamlSource, value: unknown, at: YamlPath, file: string): DeployLoad {
  const err = (path: YamlPath, detail: string, options?: { hint?: string }) => source.error([...at, ...path], detail, options);
  const parsed = deploySchema.safeParse(value);
  if (!parsed.success) return { ok: false, file, errors: parsed.error.issues.flatMap((i) => zodIssueErrors(i, [...at, ...issuePath(i)], source, (p) => keysAt(p.slice(at.length)))) };
  const deploy = parsed.data;
  const errors: InventoryError[] = [];
  const { order, problems } = stageOrder(deploy.stages);
  const names = deploy.stages.map((s) => s.name);
  for (const p of problems) {
    if (p.kind === 'duplicate') errors.push(err(['stages', p.stage, 'name'], `stage ${p.name} is defined twice`));
    if (p.kind === 'unknown') errors.push(err(['stages', p.stage, 'needs', p.need], `needs ${p.name}, which is no stage; stages: ${names.join(', ')}`, { hint: didYouMean(p.name, names) }));
    if (p.kind === 'cycle') errors.push(err(['stages', p.stage, 'needs'], `the stages' needs form a cycle: ${p.cycle.join(' -> ')}`));
  }
  deploy.stages.forEach((s, i) => {
    if (s.builtin === 'health' && !s.health && !deploy.gates.health) errors.push(err(['stages', i], 'builtin: health needs health: here or gates.health'));
    if (s.builtin && s.run_on !== 'each') errors.push(err(['stages', i, 'run_on'], `builtin ${s.builtin} runs on each host`));
  });
  if ((deploy.strategy.kind === 'canary' || deploy.strategy.kind === 'blue-green') && !deploy.stages.some((s) => s.builtin === 'lb-ready')) errors.push(err(['strategy'], `${deploy.strategy.kind} shifts traffic at the stage with builtin: lb-ready; add one`));
  if (!deploy.stages.some((s) => s.builtin === 'link')) errors.push(err(['stages'], 'a deploy needs a stage with builtin: link (switching `current` is its commit point)'));
  if (errors.length) return { ok: false, file, errors };
  return { ok: true, deploy, file, order };
}

/**
 * The deploys of a baton inventory's `deploys:` key, each named by its key
 * (a `name:` inside is refused: the key is the name), each checked on its
 * own so one broken pipeline hides no other; a name `taken` by a deploy
 * file is an error at the key. Not a baton inventory: none.
 */
export function parseInventoryDeploys(inventoryFile: string, text: string, taken: ReadonlyMap<string, string> = new Map()): DeployLoad[] {
  if (detectFormat(inventoryFile, text) !== 'baton') return [];
  const source = new YamlSource(inventoryFile, text);
  const top = source.syntaxErrors.length ? undefined : source.toJS();
  const raw = top && typeof top === 'object' && 'deploys' in top ? (top as { deploys: unknown }).deploys : undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const entries = raw as Record<string, unknown>;
  return source.keysInOrder(['deploys'], entries).map((name) => {
    const file = `${inventoryFile}#${name}`;
    const at = ['deploys', name];
    if (!NAME.test(name)) return { ok: false, file, errors: [source.error(at, 'expected a lower-case deploy name such as web-rolling', { key: true })] };
    const entry = entries[name];
    const clash = taken.get(name);
    if (clash) return { ok: false, file, errors: [source.error(at, `deploy ${name} is also ${clash}: rename one of them`, { key: true })] };
    if (entry && typeof entry === 'object' && 'name' in entry) return { ok: false, file, errors: [source.error([...at, 'name'], `an inventory's deploy is named by its key (${name}): drop name:`, { key: true })] };
    return checkDeploy(source, entry && typeof entry === 'object' ? { name, ...entry } : entry, at, file);
  });
}

/** A deploy file, or INVENTORY#NAME (an inventory's deploys.NAME). */
export function loadDeployFile(file: string): DeployLoad {
  const inline = existsSync(file) ? null : INLINE_REF.exec(file);
  const path = inline ? inline[1]! : file;
  try {
    const text = readFileSync(path, 'utf8');
    if (!inline) return parseDeploy(file, text);
    const found = parseInventoryDeploys(path, text).find((d) => d.file === file);
    return found ?? { ok: false, file, errors: [new InventoryError({ file: path }, `no deploy ${inline[2]} under deploys: in this inventory`)] };
  } catch (err) {
    return { ok: false, file, errors: [new InventoryError({ file: path }, `cannot read: ${(err as Error).message}`)] };
  }
}

/** Every deploy in a directory, broken ones included with their errors. */
export function listDeploys(dir: string): DeployLoad[] {
  try {
    return readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => loadDeployFile(join(dir, n)));
  } catch {
    return [];
  }
}

const fileName = (d: DeployLoad): string => basename(d.file).replace(/\.ya?ml$/, '');

/** The deploy files of `dir`, then the deploys of the inventory (when it is a baton inventory), a name used twice an error. */
export function allDeploys(dir: string, inventoryFile?: string): DeployLoad[] {
  const files = listDeploys(dir);
  if (inventoryFile === undefined || !existsSync(inventoryFile) || !statSync(inventoryFile).isFile()) return files;
  const taken = new Map<string, string>();
  for (const d of files) for (const n of [fileName(d), ...(d.ok ? [d.deploy.name] : [])]) taken.set(n, d.file);
  try {
    return [...files, ...parseInventoryDeploys(resolve(inventoryFile), readFileSync(inventoryFile, 'utf8'), taken)];
  } catch (err) {
    return [...files, { ok: false, file: inventoryFile, errors: [new InventoryError({ file: inventoryFile }, `cannot read: ${(err as Error).message}`)] }];
  }
}

/**
 * A deploy named on the command line: a path, INVENTORY#NAME, or a name among
 * allDeploys (a broken match first, so its errors are what is shown).
 */
export function findDeploy(arg: string, dir: string, inventoryFile?: string): DeployLoad | undefined {
  if (/[/.#]/.test(arg)) return loadDeployFile(arg);
  const matches = allDeploys(dir, inventoryFile).filter((d) => (d.ok && d.deploy.name === arg) || fileName(d) === arg || d.file.endsWith(`#${arg}`));
  return matches.find((d) => !d.ok) ?? matches[0];
}
