// The open action dialog in place of the view (confirm, abort, output,
// interrupted actions, the node picker), and the footer line while one is
// open (the `!` prompt, the weight prompt, or the dialog's keys).
import { Box, Text, useInput } from 'ink';
import { foldNodeset } from '../../inventory/nodeset.js';
import { useConsole, useTheme } from '../context.js';
import { outputLines } from '../panes/actions-pane-lines.js';
import { DetailReport } from '../panes/detail-report.js';
import { ConfirmDialog } from '../widgets/confirm-dialog.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { closeDialog, confirmPlan, planExec } from './action-flow.js';
import { useActionsUi, useDialog, useProgress } from './actions-context.js';
import { DrillDialogView } from '../drills/drill-dialog.js';
import { FencedDialogView } from './fenced-dialog.js';
import { InterruptedDialog } from './interrupted-dialog.js';
import { NodePicker } from './node-picker.js';
import { WeightPrompt } from './weight-prompt.js';
import { RebalanceConfirm } from '../rebalance/rebalance-confirm.js';
import { RebalanceDialog } from '../rebalance/rebalance-dialog.js';
import { DeployConfirm } from '../deploy/deploy-confirm.js';
import { DeployPickDialog } from '../deploy/deploy-pick-dialog.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

function useFlowContext() {
  return { ...useConsole(), ...useActionsUi() };
}

/** Dialogs that are one line in the footer: the view stays visible above them. */
const FOOTER_ONLY = new Set(['prompt', 'weight']);

/** True when the open dialog takes the body (the prompts leave the view visible). */
export function useBodyDialog(): boolean {
  return useDialog((s) => s.dialog !== undefined && !FOOTER_ONLY.has(s.dialog.kind));
}

function AbortDialog({ actionId, title, width, height }: { actionId: string; title: string; width: number; height: number }) {
  const theme = useTheme();
  const ctx = useFlowContext();
  useInput((ch, key) => {
    const abort = (kill: boolean) => {
      closeDialog(ctx);
      if (!ctx.service?.abort(actionId, kill)) ctx.ui.getState().showMessage(`${title} is no longer running`, 'warn');
    };
    if (ch === 'f') abort(false);
    else if (ch === 'k') abort(true);
    else if (key.escape || ch === 'n') closeDialog(ctx);
  });
  return (
    <PaneFrame title="Abort" width={width} height={height} focused>
      <Text wrap="truncate" {...theme.tokens.text}>{` Abort ${title}? No new step starts either way.`}</Text>
      <Text> </Text>
      <Text wrap="truncate">
        <Text {...theme.tokens.focus}>{' f'}</Text>
        <Text {...theme.tokens.text}>{' let the running steps finish   '}</Text>
        <Text {...theme.tokens.focus}>{'k'}</Text>
        <Text {...theme.tokens.text}>{' kill the running steps on their hosts   '}</Text>
        <Text {...theme.tokens.focus}>{'esc'}</Text>
        <Text {...theme.tokens.text}>{' keep it running'}</Text>
      </Text>
    </PaneFrame>
  );
}

function OutputDialog({ actionId, width, height }: { actionId: string; width: number; height: number }) {
  const ctx = useFlowContext();
  const action = useProgress((s) => s.actions.find((a) => a.id === actionId));
  useInput((_ch, key) => {
    if (key.escape) closeDialog(ctx);
  });
  const lines = [...(action?.detail ? [[{ text: ` ${action.detail}`, token: 'muted' as const }]] : []), ...outputLines(ctx.service?.outputs(actionId) ?? [])];
  return <DetailReport title={action?.title ?? actionId} info={`${action?.state ?? ''} · esc back`} width={width} height={height} active lines={lines} />;
}

export function ActionDialog({ width, height }: { width: number; height: number }) {
  const ctx = useFlowContext();
  const dialog = useDialog((s) => s.dialog);
  if (!dialog || FOOTER_ONLY.has(dialog.kind)) return <Box height={height} />;
  switch (dialog.kind) {
    case 'confirm': {
      // A rebalance plan shows each host's load before → after above the plan.
      const Confirm = dialog.plan.action === 'rebalance' ? RebalanceConfirm : dialog.plan.action === 'deploy' ? DeployConfirm : ConfirmDialog;
      return (
        <Confirm
          plan={dialog.plan}
          typed={dialog.typed}
          error={dialog.error}
          width={width}
          height={height}
          active
          onType={(typed) => ctx.dialogs.getState().update('confirm', () => ({ typed, error: undefined }))}
          onConfirm={() => confirmPlan(ctx)}
          onCancel={() => {
            closeDialog(ctx);
            ctx.ui.getState().showMessage('cancelled: nothing ran');
          }}
        />
      );
    }
    case 'rebalance':
      return <RebalanceDialog dialog={dialog} width={width} height={height} />;
    case 'abort':
      return <AbortDialog actionId={dialog.actionId} title={dialog.title} width={width} height={height} />;
    case 'output':
      return <OutputDialog actionId={dialog.actionId} width={width} height={height} />;
    case 'interrupted':
      return <InterruptedDialog dialog={dialog} width={width} height={height} />;
    case 'node-picker':
      return <NodePicker dialog={dialog} width={width} height={height} />;
    case 'drill':
      return <DrillDialogView dialog={dialog} width={width} height={height} />;
    case 'fenced':
      return <FencedDialogView dialog={dialog} width={width} height={height} />;
    case 'deploy-pick':
      return <DeployPickDialog dialog={dialog} width={width} height={height} />;
    default:
      return <Box height={height} />;
  }
}

/** The `!` prompt: the command line, the hosts it runs on, and what was wrong with the last try. */
function ExecPrompt() {
  const theme = useTheme();
  const ctx = useFlowContext();
  const dialog = useDialog((s) => (s.dialog?.kind === 'prompt' ? s.dialog : undefined));
  useInput((ch, key) => {
    if (!dialog) return;
    const set = (input: string) => ctx.dialogs.getState().update('prompt', () => ({ input, error: undefined }));
    if (key.escape) closeDialog(ctx);
    else if (key.return) {
      if (dialog.input.trim() !== '') void planExec(ctx, dialog.targets, dialog.input);
    } else if (key.backspace || key.delete) set(dialog.input.slice(0, -1));
    else if (key.ctrl && ch === 'u') set('');
    else if (!key.ctrl && !key.meta && ch) set(dialog.input + ch.replace(CONTROL, ''));
  });
  if (!dialog) return null;
  const where = `on ${foldNodeset(dialog.targets.hosts)} (${dialog.targets.how})`;
  return (
    <Text wrap="truncate">
      <Text {...theme.tokens.focus}>!</Text>
      <Text {...theme.tokens.text}>{dialog.input}</Text>
      <Text inverse> </Text>
      {dialog.error ? <Text {...theme.tokens.crit}>{`  ${dialog.error}`}</Text> : <Text {...theme.tokens.muted}>{`  ${where} · ⏎ plan · esc cancel`}</Text>}
    </Text>
  );
}

const DIALOG_KEYS = {
  confirm: 'see the dialog: y or the typed name runs it · esc cancels',
  abort: 'f let finish · k kill · esc keep running',
  output: 'j/k scroll · esc back',
  interrupted: 'r resume · u roll back · a abandon · j/k move · esc later',
  'node-picker': 'see the picker: ⏎ plans the node under the cursor · esc cancels',
  rebalance: 'see the dialog: ⏎ plans the rebalance · esc cancels',
  drill: 'see the dialog: its keys are on its last line',
  fenced: 'f old primary is fenced (then the typed confirmation) · esc cancels',
  'deploy-pick': 'see the dialog: ⏎ plans the deploy and release shown · esc cancels',
} as const;

export function DialogFooter() {
  const theme = useTheme();
  const kind = useDialog((s) => s.dialog?.kind);
  if (kind === 'prompt') return <ExecPrompt />;
  if (kind === 'weight') return <WeightPrompt />;
  return (
    <Text wrap="truncate" {...theme.tokens.muted}>
      {kind ? DIALOG_KEYS[kind] : ''}
    </Text>
  );
}
