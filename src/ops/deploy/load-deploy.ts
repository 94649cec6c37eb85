// Reads deploy files (deploys/*.yaml beside the inventory): every problem is
// an error at file:line:column, all at once, the way drills and inventories
// report; the stage DAG (unknown needs, cycles, duplicates) is checked here,
// at load time, never in the middle of a deploy.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { didYouMean } from '../../inventory/did-you-mean.js';
import { InventoryError } from '../../inventory/errors.js';
import { zodIssueErrors, issuePath } from '../../inventory/yaml-issues.js';
import { YamlSource } from '../../inventory/yaml-source.js';
import { deploySchema, keysAt, type DeploySpec } from './deploy-spec.js';
import { stageOrder } from './stage-order.js';

export type DeployLoad = { ok: true; deploy: DeploySpec; file: string; order: number[] } | { ok: false; file: string; errors: InventoryError[] };

export function parseDeploy(file: string, text: string): DeployLoad {
  const source = new YamlSource(file, text);
  if (source.syntaxErrors.length) return { ok: false, file, errors: source.syntaxErrors };
  const parsed = deploySchema.safeParse(source.toJS());
  if (!parsed.success) return { ok: false, file, errors: parsed.error.issues.flatMap((i) => zodIssueErrors(i, issuePath(i), source, keysAt)) };
  const deploy = parsed.data;
  const errors: InventoryError[] = [];
  const { order, problems } = stageOrder(deploy.stages);
  const names = deploy.stages.map((s) => s.name);
  for (const p of problems) {
    if (p.kind === 'duplicate') errors.push(source.error(['stages', p.stage, 'name'], `stage ${p.name} is defined twice`));
    if (p.kind === 'unknown') errors.push(source.error(['stages', p.stage, 'needs', p.need], `needs ${p.name}, which is no stage; stages: ${names.join(', ')}`, { hint: didYouMean(p.name, names) }));
    if (p.kind === 'cycle') errors.push(source.error(['stages', p.stage, 'needs'], `the stages' needs form a cycle: ${p.cycle.join(' -> ')}`));
  }
  deploy.stages.forEach((s, i) => {
    if (s.builtin === 'health' && !s.health && !deploy.gates.health) errors.push(source.error(['stages', i], 'builtin: health needs health: here or gates.health'));
    if (s.builtin && s.run_on !== 'each') errors.push(source.error(['stages', i, 'run_on'], `builtin ${s.builtin} runs on each host`));
  });
  if ((deploy.strategy.kind === 'canary' || deploy.strategy.kind === 'blue-green') && !deploy.stages.some((s) => s.builtin === 'lb-ready')) errors.push(source.error(['strategy'], `${deploy.strategy.kind} shifts traffic at the stage with builtin: lb-ready; add one`));
  if (!deploy.stages.some((s) => s.builtin === 'link')) errors.push(source.error(['stages'], 'a deploy needs a stage with builtin: link (switching `current` is its commit point)'));
  if (errors.length) return { ok: false, file, errors };
  return { ok: true, deploy, file, order };
}

export function loadDeployFile(file: string): DeployLoad {
  try {
    return parseDeploy(file, readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, file, errors: [new InventoryError({ file }, `cannot read: ${(err as Error).message}`)] };
  }
}

/** deploys/ beside the inventory file. */
export const deployDirFor = (inventoryFile: string): string => join(dirname(inventoryFile), '..', 'deploys');

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

/** A deploy named on the command line: a path, or a file's name in the directory. */
export function findDeploy(arg: string, dir: string): DeployLoad | undefined {
  if (/[/.]/.test(arg)) return loadDeployFile(arg);
  return listDeploys(dir).find((d) => (d.ok && d.deploy.name === arg) || basename(d.file).replace(/\.ya?ml$/, '') === arg);
}
