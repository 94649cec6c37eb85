// At start: actions the journal says nobody finished (the console or the
// CLI died mid-run). Each shows which steps ended and which hosts are done;
// r resumes it (only the steps not journaled ok), u rolls it back (when its
// plan has an undo), a marks it abandoned; esc leaves them for later
// (`baton history` lists them, `baton resume|rollback|abandon ID`).
import { Text, useInput } from 'ink';
import { foldNodeset } from '../../inventory/nodeset.js';
import type { ActionSummary } from '../../ops/engine/history.js';
import { operatorLabel } from '../../ops/engine/operator.js';
import { useConsole, useTheme } from '../context.js';
import { formatClock } from '../format.js';
import { actionFor } from '../keymap/keymap.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import { closeDialog, showActionsPane } from './action-flow.js';
import { useActionsUi } from './actions-context.js';
import type { Dialog } from './dialog-store.js';

type Interrupted = Extract<Dialog, { kind: 'interrupted' }>;

export function interruptedLines(a: ActionSummary, selected: boolean): Line[] {
  const { plan } = a;
  const ok = plan.steps.filter((s) => a.steps.get(s.id)?.outcome === 'ok');
  const next = plan.steps.find((s) => a.steps.get(s.id)?.outcome !== 'ok');
  const notDone = plan.targets.filter((h) => !a.hostsDone.includes(h));
  return [
    [{ text: `${selected ? '>' : ' '} ${plan.title}`, token: selected ? 'focus' : 'text' }],
    [{ text: `   ${a.id} · by ${operatorLabel(a.who)} (pid ${a.who.pid}) at ${formatClock(a.startedAt)}`, token: 'muted' }],
    [{ text: `   steps ok ${ok.length}/${plan.steps.length}${next ? ` · stopped at ${next.id} (${next.label})` : ''}`, token: 'text' }],
    [
      { text: `   hosts done: ${a.hostsDone.length > 0 ? foldNodeset(a.hostsDone) : 'none'}`, token: 'ok' },
      { text: ` · not done: ${notDone.length > 0 ? foldNodeset(notDone) : 'none'}`, token: 'warn' },
      { text: ` · ${plan.undo.length > 0 ? 'has an undo' : 'no undo'}`, token: 'muted' },
    ],
    ...a.problems.map((p): Line => [{ text: `   journal line ${p.line}: ${p.reason}: ${p.text}`, token: 'crit' }]),
    [],
  ];
}

export function InterruptedDialog({ dialog, width, height }: { dialog: Interrupted; width: number; height: number }) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const ctx = { ...services, ...actionsUi };
  const current = dialog.items[dialog.cursor];

  const done = (id: string) => {
    const items = dialog.items.filter((i) => i.id !== id);
    if (items.length === 0) {
      closeDialog(ctx);
      showActionsPane(ctx);
    } else actionsUi.dialogs.getState().update('interrupted', () => ({ items, cursor: Math.min(dialog.cursor, items.length - 1), error: undefined }));
  };
  const report = (reason: string | undefined, fallback?: string) => {
    if (reason ?? fallback) services.ui.getState().showMessage((reason ?? fallback)!, reason ? 'warn' : 'info');
  };

  useInput((ch, key) => {
    const action = actionFor(services.keymap, ch, key);
    const move = action === 'down' ? 1 : action === 'up' ? -1 : 0;
    if (move !== 0) return actionsUi.dialogs.getState().update('interrupted', (d) => ({ cursor: Math.max(0, Math.min(d.items.length - 1, d.cursor + move)) }));
    if (key.escape) return closeDialog(ctx);
    const service = actionsUi.service;
    if (!current || !service) return;
    if (ch === 'r' || ch === 'u') {
      if (ch === 'u' && current.plan.undo.length === 0) {
        return actionsUi.dialogs.getState().update('interrupted', () => ({ error: `${current.plan.title} has no undo: resume or abandon it` }));
      }
      done(current.id);
      void service.resumeJournaled(current, ch === 'r' ? 'resume' : 'rollback').then((r) => report(r?.reason));
    } else if (ch === 'a') {
      done(current.id);
      void service.abandon(current).then((r) => report(r?.reason, `${current.plan.title}: marked abandoned in the journal`));
    }
  });

  const lines = dialog.items.flatMap((a, i) => interruptedLines(a, i === dialog.cursor));
  const count = dialog.items.length;
  return (
    <PaneFrame title={`Interrupted action${count === 1 ? '' : 's'}`} info={`${count} not finished`} width={width} height={height} focused>
      <Text wrap="truncate">{' These actions stopped before they ended (their process is gone). Nothing is lost: the journal has every step.'}</Text>
      <Text> </Text>
      <StyledLines lines={lines} top={0} height={Math.max(1, height - 6)} />
      {dialog.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${dialog.error}`}</Text> : null}
      <Text wrap="truncate">{' r resume (only what is not done) · u roll back (its undo, on the hosts done) · a mark abandoned · esc later'}</Text>
    </PaneFrame>
  );
}
