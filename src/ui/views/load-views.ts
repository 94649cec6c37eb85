// views/*.yaml (built in) then <configDir>/views/*.yaml (the operator's;
// same name replaces). Number keys follow `order`, then the name.
import { join } from 'node:path';
import { parseConfig, readConfigDir, type ConfigProblem } from '../config/yaml-file.js';
import { FALLBACK_VIEW, ViewFile, type ViewDef } from './view.js';

export function parseView(file: string, stem: string, text: string): { view?: ViewDef; problem?: ConfigProblem } {
  const result = parseConfig(file, text, ViewFile);
  if (!result.ok) return { problem: result.problem };
  const { name, title, order, strip, rows } = result.value;
  const viewName = name ?? stem;
  return { view: { name: viewName, title: title ?? viewName, order, strip, rows, file } };
}

export interface LoadedViews {
  /** Sorted for the number keys. */
  views: ViewDef[];
  problems: ConfigProblem[];
}

export function sortViews(views: Iterable<ViewDef>): ViewDef[] {
  return [...views].sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.name.localeCompare(b.name));
}

export function loadViews(dirs: readonly string[]): LoadedViews {
  const byName = new Map<string, ViewDef>([[FALLBACK_VIEW.name, FALLBACK_VIEW]]);
  const problems: ConfigProblem[] = [];
  for (const dir of dirs) {
    const read = readConfigDir(dir);
    problems.push(...read.problems);
    for (const f of read.files) {
      const { view, problem } = parseView(f.file, f.stem, f.text);
      if (view) byName.set(view.name, view);
      if (problem) problems.push({ ...problem, message: `${problem.message} (view skipped)` });
    }
  }
  return { views: sortViews(byName.values()), problems };
}

export const viewDirs = (packageRoot: string, configDir: string): string[] => [join(packageRoot, 'views'), join(configDir, 'views')];
