// Reads drill files: the shipped ones (drills/ in the package) and the
// operator's own (~/.config/baton/drills/). Every problem is an error at
// file:line:column, all at once, the way inventories and action files report.
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { InventoryError } from '../../inventory/errors.js';
import { zodIssueErrors, issuePath } from '../../inventory/yaml-issues.js';
import { YamlSource } from '../../inventory/yaml-source.js';
import { drillSchema, keysAt, type DrillSpec } from './drill-spec.js';
import { implicitRestore } from './implicit-restore.js';

export type DrillLoad = { ok: true; drill: DrillSpec; file: string } | { ok: false; file: string; errors: InventoryError[] };

/** Shipped drills first, then the operator's. */
export function drillDirs(packageRoot: string, configDir = join(homedir(), '.config', 'baton')): string[] {
  return [join(packageRoot, 'drills'), join(configDir, 'drills')];
}

export function parseDrill(file: string, text: string): DrillLoad {
  const source = new YamlSource(file, text);
  if (source.syntaxErrors.length) return { ok: false, file, errors: source.syntaxErrors };
  const parsed = drillSchema.safeParse(source.toJS());
  if (!parsed.success) return { ok: false, file, errors: parsed.error.issues.flatMap((i) => zodIssueErrors(i, issuePath(i), source, keysAt)) };
  const drill = parsed.data;
  const errors: InventoryError[] = [];
  const names = new Set<string>();
  drill.traffic.forEach((t, i) => {
    if (names.has(t.name)) errors.push(source.error(['traffic', i, 'name'], `${t.name} is used by another traffic probe`));
    names.add(t.name);
  });
  for (const list of ['expect', 'abort_if'] as const) {
    drill[list].forEach((c, i) => {
      if (c.traffic && !names.has(c.traffic.probe)) errors.push(source.error([list, i, 'traffic', 'probe'], `no traffic probe named ${c.traffic.probe}; the drill has ${[...names].join(', ')}`));
      if (list === 'expect' && c.within === undefined) errors.push(source.error([list, i], 'needs within: (the deadline, e.g. 30s)'));
      if (c.event?.match !== undefined && !validRegex(c.event.match)) errors.push(source.error([list, i, 'event', 'match'], `not a regular expression: ${c.event.match}`));
    });
  }
  if (drill.inject.detect?.match !== undefined && !validRegex(drill.inject.detect.match)) errors.push(source.error(['inject', 'detect', 'match'], `not a regular expression: ${drill.inject.detect.match}`));
  if (drill.restore === undefined && implicitRestore(drill.inject) === undefined) {
    errors.push(source.error(['inject'], 'this fault has no undo of its own: give restore: steps (e.g. lab_heal, or a command that starts it again)'));
  }
  if (errors.length) return { ok: false, file, errors };
  return { ok: true, drill, file };
}

export function loadDrillFile(file: string): DrillLoad {
  try {
    return parseDrill(file, readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, file, errors: [new InventoryError({ file }, `cannot read: ${(err as Error).message}`)] };
  }
}

/** Every drill in the directories (shipped, then the operator's), broken ones included with their errors. */
export function listDrills(dirs: readonly string[]): DrillLoad[] {
  return dirs.flatMap((dir) => {
    try {
      return readdirSync(dir)
        .filter((n) => /\.ya?ml$/.test(n))
        .sort()
        .map((n) => loadDrillFile(join(dir, n)));
    } catch {
      return [];
    }
  });
}

/** A drill named on the command line: a path, or the name of a listed drill. */
export function findDrill(arg: string, dirs: readonly string[]): DrillLoad | undefined {
  if (/[/.]/.test(arg)) return loadDrillFile(arg);
  return listDrills(dirs).find((d) => (d.ok ? d.drill.name === arg : false) || basename(d.file).replace(/\.ya?ml$/, '') === arg);
}

function validRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}
