// <App>: the console as a component with no side effects on the process
// (no alternate screen, no signal handlers), so tests and the benchmark
// mount it directly. runConsole adds the terminal handling around it.
import { useApp } from 'ink';
import { useEffect, useMemo, type ReactNode } from 'react';
import { createActionsStore } from '../store/actions.js';
import type { BatonStore } from '../store/store.js';
import type { ActionService } from './actions/action-service.js';
import { ActionsContext, type ActionsUi } from './actions/actions-context.js';
import { ActionsLayer } from './actions/actions-layer.js';
import { createDialogStore } from './actions/dialog-store.js';
import type { ConsoleConfig } from './config/load-console-config.js';
import { DrillContext } from './drills/drill-context.js';
import { DrillLayer } from './drills/drill-layer.js';
import type { DrillService } from './drills/drill-service.js';
import { ConsoleContext, ThemeContext, useConsole, useUi, type ConsoleServices } from './context.js';
import type { TerminalSize } from './hooks/use-terminal-size.js';
import { Screen } from './screen.js';
import { QueueBook } from './state/queue-book.js';
import type { UiStore } from './state/ui-store.js';
import { FALLBACK_THEME } from './theme/theme.js';
import { configuredViews } from './views/configured-views.js';
import type { Thresholds } from './thresholds.js';

export interface AppProps {
  store: BatonStore;
  ui: UiStore;
  config: ConsoleConfig;
  intervalMs: number;
  thresholds: Thresholds;
  refreshNow(): void;
  fetchHostLog(hostId: string): Promise<string>;
  isActionRunning?(): boolean;
  /** The command layer over the action engine; without it `!` says actions are not available. */
  actions?: ActionService;
  /** The command layer over the drill runner; without it D says drills are not available. */
  drills?: DrillService;
  clock?(): number;
  /** Called when the operator quits, before Ink exits. */
  onQuit?(): void;
  /** Fixed size (tests, benchmark); otherwise the terminal's, following resizes. */
  size?: TerminalSize;
  onBeforeResize?(): void;
}

function ThemeRoot({ children }: { children: ReactNode }) {
  const { themes } = useConsole();
  const name = useUi((s) => s.theme);
  return <ThemeContext.Provider value={themes.get(name) ?? FALLBACK_THEME}>{children}</ThemeContext.Provider>;
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const { store, ui, config, intervalMs, thresholds, refreshNow, fetchHostLog, isActionRunning, clock, onQuit } = props;
  const queueBook = useMemo(() => new QueueBook(), [store]);
  const actionsUi = useMemo<ActionsUi>(
    () => ({ service: props.actions, progress: props.actions?.progress ?? createActionsStore(), dialogs: createDialogStore() }),
    [props.actions],
  );
  // Fed from the start, whatever is on screen, so a queue's chart has its whole history.
  useEffect(() => {
    queueBook.record(store.getState().services);
    return store.subscribe((s) => queueBook.record(s.services));
  }, [store, queueBook]);
  const services = useMemo<ConsoleServices>(
    () => ({
      store,
      ui,
      intervalMs,
      thresholds,
      keymap: config.keymap,
      views: configuredViews(config.views, new Set(Object.values(store.getState().services).map((s) => s.kind))),
      themes: config.themes,
      queueBook,
      clock: clock ?? Date.now,
      refreshNow,
      fetchHostLog,
      isActionRunning: isActionRunning ?? (() => (actionsUi.service?.isRunning() ?? false) || (props.drills?.isRunning() ?? false)),
      quit: () => {
        onQuit?.();
        exit();
      },
    }),
    [store, ui, intervalMs, thresholds, config, queueBook, clock, refreshNow, fetchHostLog, isActionRunning, actionsUi, props.drills, onQuit, exit],
  );
  return (
    <ConsoleContext.Provider value={services}>
      <ActionsContext.Provider value={actionsUi}>
        <DrillContext.Provider value={props.drills}>
          <ThemeRoot>
            <Screen size={props.size} onBeforeResize={props.onBeforeResize} />
            {/* After the screen: its `!` runs after the global keys cleared the last message. */}
            <ActionsLayer />
            <DrillLayer />
          </ThemeRoot>
        </DrillContext.Provider>
      </ActionsContext.Provider>
    </ConsoleContext.Provider>
  );
}
