// The console's entry point for the CLI. createConsoleApp builds the app
// (config, UI state, <App>) without touching the terminal — the benchmark
// mounts it as is; runConsole adds the alternate screen and the restore.
import { render, setTextFilter, type Instance } from 'ink';
import type { ReactElement } from 'react';
import type { BatonStore } from '../store/store.js';
import type { ActionService } from './actions/action-service.js';
import type { DrillService } from './drills/drill-service.js';
import { App } from './app.js';
import { compactingStream } from './compact-output.js';
import { captureConsole } from './console-capture.js';
import { chooseStart, loadConsoleConfig, terminalHasColour } from './config/load-console-config.js';
import { defaultConfigDir } from './config/paths.js';
import { formatProblem, type ConfigProblem } from './config/yaml-file.js';
import type { TerminalSize } from './hooks/use-terminal-size.js';
import { createUiStore, type UiStore } from './state/ui-store.js';
import { enterTerminal } from './terminal-session.js';
import { resolveThresholds, type ThresholdOverrides } from './thresholds.js';
import { visibleLines, visibleText } from './visible-text.js';

export interface ConsoleOptions {
  store: BatonStore;
  intervalMs: number;
  refreshNow(): void;
  /** Tail of the host's system log; may reject with an Error whose message is shown. */
  fetchHostLog(hostId: string): Promise<string>;
  themeName?: string;
  viewName?: string;
  /** Default ~/.config/baton. */
  configDir?: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Warn/crit levels from the config file; defaults 80/90 %, load per core 1/2. */
  thresholds?: ThresholdOverrides;
  /** When true, `q` asks before quitting; default: an action of `actions` runs. */
  isActionRunning?(): boolean;
  /** The command layer over the action engine (plans, runs, journal, locks). */
  actions?: ActionService;
  /** The command layer over the drill runner (D, the drill view, interrupted drills). */
  drills?: DrillService;
}

export interface ConsoleAppOptions extends ConsoleOptions {
  /** Whether to use colour; default from NO_COLOR and the terminal. */
  colour?: boolean;
  size?: TerminalSize;
  clock?(): number;
  onQuit?(): void;
  onBeforeResize?(): void;
}

export interface ConsoleApp {
  element: ReactElement;
  ui: UiStore;
  problems: ConfigProblem[];
}

export function createConsoleApp(options: ConsoleAppOptions): ConsoleApp {
  // Every string the console draws passes Ink's text nodes (patches/ink+6.8.0.patch): data's control characters are made visible there.
  setTextFilter(visibleText);
  const config = loadConsoleConfig(options.configDir ?? defaultConfigDir());
  const stdout = options.stdout ?? process.stdout;
  const colour = options.colour ?? terminalHasColour(stdout);
  // The terminal's size at start picks the default view (the incident view from 160x45).
  const size = options.size ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const start = chooseStart(config, { viewName: options.viewName, themeName: options.themeName, colour, size });
  const problems = [...config.problems, ...start.problems];
  const first = problems[0];
  const ui = createUiStore({
    view: start.view,
    theme: start.theme,
    message: first && { text: `${problems.length > 1 ? `${problems.length} config problems (all listed on exit): ` : ''}${formatProblem(first)}`, severity: 'warn' },
  });
  const element = (
    <App
      store={options.store}
      ui={ui}
      config={config}
      intervalMs={options.intervalMs}
      thresholds={resolveThresholds(options.thresholds)}
      refreshNow={options.refreshNow}
      fetchHostLog={options.fetchHostLog}
      isActionRunning={options.isActionRunning}
      actions={options.actions}
      drills={options.drills}
      clock={options.clock}
      onQuit={options.onQuit}
      size={options.size}
      onBeforeResize={options.onBeforeResize}
    />
  );
  return { element, ui, problems };
}

/**
 * Renders the app on a terminal, as the console and the benchmark do.
 * Incremental rendering writes only changed lines; with the compacted cursor
 * moves an idle clock tick costs about one status line.
 */
export function mountConsoleApp(app: ConsoleApp, stdout: NodeJS.WriteStream, stdin: NodeJS.ReadStream): Instance {
  return render(app.element, {
    stdout: compactingStream(stdout),
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    incrementalRendering: true,
    maxFps: 60,
  });
}

/** Resolves when the operator quits; the terminal is restored by then. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  let instance: Instance | undefined;
  const session = enterTerminal({ stdout, stdin, beforeRestore: () => instance?.unmount() });
  const captured = captureConsole();
  let problems: ConfigProblem[] = [];
  try {
    const app = createConsoleApp({
      ...options,
      stdout,
      stdin,
      // A resize can leave old cells behind: wipe, and let Ink write the next frame whole.
      onBeforeResize: () => {
        instance?.clear();
        session.clearScreen();
      },
    });
    problems = app.problems;
    instance = mountConsoleApp(app, stdout, stdin);
    await instance.waitUntilExit();
  } finally {
    session.restore();
    for (const line of captured.release()) process.stderr.write(`${visibleLines(line)}\n`);
  }
  for (const p of problems) process.stderr.write(`baton: ${visibleLines(formatProblem(p))}\n`);
}
