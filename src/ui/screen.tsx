// The whole console: status bar, body (view, host or service detail, or
// help) and footer, sized to the terminal. One line is left free: Ink
// clears and repaints the whole terminal on every frame once its output is
// as tall as the screen.
import { Box } from 'ink';
import { ActionDialog, useBodyDialog } from './actions/action-dialog.js';
import { useUi } from './context.js';
import { useCurrentView } from './hooks/use-current-view.js';
import { useGlobalKeys } from './hooks/use-global-keys.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { HostDetail } from './panes/host-detail.js';
import { ServiceDetailView } from './panes/service-detail.js';
import { ViewGrid } from './view-grid.js';
import { Footer } from './widgets/footer.js';
import { HelpOverlay } from './widgets/help-overlay.js';
import { StatusBar } from './widgets/status-bar.js';

export interface ScreenProps {
  size?: TerminalSize;
  onBeforeResize?: () => void;
}

export function Screen({ size, onBeforeResize }: ScreenProps) {
  const { columns, rows } = useTerminalSize(size, onBeforeResize);
  const mode = useUi((s) => s.mode);
  const detail = useUi((s) => s.detail);
  const actionDialog = useBodyDialog();
  const { view, focus } = useCurrentView();
  useGlobalKeys();

  const height = Math.max(4, rows - 1);
  const body = height - 2;
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <StatusBar />
      {mode === 'help' ? (
        <HelpOverlay width={columns} height={body} />
      ) : mode === 'dialog' && actionDialog ? (
        <ActionDialog width={columns} height={body} />
      ) : detail?.kind === 'host' ? (
        <HostDetail hostId={detail.hostId} width={columns} height={body} active={mode === 'normal'} />
      ) : detail !== undefined ? (
        <ServiceDetailView key={`${detail.serviceId} ${detail.item}`} detail={detail} width={columns} height={body} active={mode === 'normal'} />
      ) : (
        <ViewGrid view={view} width={columns} height={body} focus={focus} mode={mode} />
      )}
      <Footer width={columns} />
    </Box>
  );
}
