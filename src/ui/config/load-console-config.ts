// Everything the console reads from disk, loaded once at start: built-in and
// user views and themes, and the key bindings. Problems are collected, never
// thrown: the console starts with defaults and says what it skipped.
import { loadKeymap } from '../keymap/load-keymap.js';
import type { Keymap } from '../keymap/keymap.js';
import { loadThemes, themeDirs } from '../theme/load-themes.js';
import { DEFAULT_THEME_NAME, MONOCHROME_THEME_NAME, type Theme } from '../theme/theme.js';
import { loadViews, viewDirs } from '../views/load-views.js';
import { DEFAULT_VIEW_NAME, defaultViewName, type ViewDef } from '../views/view.js';
import { PACKAGE_ROOT } from './paths.js';
import type { ConfigProblem } from './yaml-file.js';

export interface ConsoleConfig {
  views: ViewDef[];
  themes: Map<string, Theme>;
  keymap: Keymap;
  problems: ConfigProblem[];
}

export function loadConsoleConfig(configDir: string, packageRoot = PACKAGE_ROOT): ConsoleConfig {
  const views = loadViews(viewDirs(packageRoot, configDir));
  const themes = loadThemes(themeDirs(packageRoot, configDir));
  const keys = loadKeymap(configDir);
  return { views: views.views, themes: themes.themes, keymap: keys.keymap, problems: [...views.problems, ...themes.problems, ...keys.problems] };
}

export interface StartChoice {
  view: string;
  theme: string;
  problems: ConfigProblem[];
}

/**
 * `--view`/`--theme` when they exist; without an explicit view, the incident
 * view on a terminal of 160x45 or more, else the overview; without an
 * explicit theme, NO_COLOR or a terminal without colour gets the monochrome theme.
 */
export function chooseStart(
  config: ConsoleConfig,
  wanted: { viewName?: string; themeName?: string; colour: boolean; size?: { columns: number; rows: number } },
): StartChoice {
  const problems: ConfigProblem[] = [];
  let view = wanted.viewName ?? (wanted.size ? defaultViewName(config.views, wanted.size) : DEFAULT_VIEW_NAME);
  if (!config.views.some((v) => v.name === view)) {
    problems.push({ file: '--view', message: `unknown view "${view}" (views: ${config.views.map((v) => v.name).join(', ')}); showing ${DEFAULT_VIEW_NAME}` });
    view = DEFAULT_VIEW_NAME;
  }
  const fallback = wanted.colour ? DEFAULT_THEME_NAME : MONOCHROME_THEME_NAME;
  let theme = wanted.themeName ?? fallback;
  if (!config.themes.has(theme)) {
    problems.push({ file: '--theme', message: `unknown theme "${theme}" (themes: ${[...config.themes.keys()].sort().join(', ')}); using ${fallback}` });
    theme = config.themes.has(fallback) ? fallback : DEFAULT_THEME_NAME;
  }
  return { view, theme, problems };
}

/** NO_COLOR (any non-empty value) or a terminal that reports no colours. */
export function terminalHasColour(stdout: { hasColors?: () => boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return typeof stdout.hasColors === 'function' ? stdout.hasColors() : true;
}
