// The drill dialogs in place of the view: the picker of drill files (the
// shipped ones, then ~/.config/baton/drills/; a broken file with its first
// error), the plan to confirm in the confirm dialog's style, and at start
// the drills cut off mid-drill: r restores now, esc leaves it for later.
import { Box, Text, useInput } from 'ink';
import { homedir } from 'node:os';
import type { InterruptedDrill } from '../../ops/drills/drill-interrupted.js';
import { INJECT_KINDS } from '../../ops/drills/drill-spec.js';
import type { DrillLoad } from '../../ops/drills/load-drill.js';
import { operatorLabel } from '../../ops/engine/operator.js';
import { closeDialog } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import type { Dialog } from '../actions/dialog-store.js';
import { useConsole, useTheme, type ConsoleServices } from '../context.js';
import { fit, formatClock } from '../format.js';
import { actionFor } from '../keymap/keymap.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import { useDrills } from './drill-context.js';
import { confirmDrill, pickDrill, type DrillCtx } from './drill-flow.js';
import { drillPlanLines } from './drill-plan-lines.js';

type DrillDialogOf<S extends string> = Extract<Dialog, { kind: 'drill'; step: S }>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

function useDrillCtx(): DrillCtx & ConsoleServices {
  return { ...useConsole(), ...useActionsUi(), drills: useDrills() };
}

const shortPath = (file: string) => file.replace(homedir(), '~');

function faultOf(load: DrillLoad): string {
  if (!load.ok) return '';
  const kind = INJECT_KINDS.find((k) => load.drill.inject[k] !== undefined);
  return kind ? `${kind} ${JSON.stringify(load.drill.inject[kind]).replace(/"/g, '')}` : '';
}

export function pickerLines(drills: readonly DrillLoad[], cursor: number): Line[] {
  const nameWidth = Math.min(28, Math.max(8, ...drills.map((d) => (d.ok ? d.drill.name.length : 9))));
  return drills.flatMap((d, i): Line[] => {
    const mark = i === cursor ? '>' : ' ';
    if (!d.ok) return [[{ text: `${mark} ${fit('(invalid)', nameWidth)}  `, token: 'crit' }, { text: shortPath(d.errors[0]?.describe() ?? d.file), token: 'muted' }]];
    return [
      [
        { text: `${mark} ${fit(d.drill.name, nameWidth)}  `, token: i === cursor ? 'focus' : 'text' },
        { text: faultOf(d), token: 'warn' },
        { text: `  ${shortPath(d.file)}`, token: 'muted' },
      ],
      ...(d.drill.description ? [[{ text: `  ${' '.repeat(nameWidth)}  ${d.drill.description}`, token: 'muted' as const }]] : []),
    ];
  });
}

function Picker({ dialog, width, height }: { dialog: DrillDialogOf<'pick'>; width: number; height: number }) {
  const theme = useTheme();
  const ctx = useDrillCtx();
  useInput((ch, key) => {
    const action = actionFor(ctx.keymap, ch, key);
    const move = action === 'down' ? 1 : action === 'up' ? -1 : 0;
    if (move !== 0) return ctx.dialogs.getState().update('drill', () => ({ cursor: Math.max(0, Math.min(dialog.drills.length - 1, dialog.cursor + move)), error: undefined }));
    if (key.escape) return closeDialog(ctx);
    const load = dialog.drills[dialog.cursor];
    if (key.return && load) void pickDrill(ctx, load);
  });
  const lines = pickerLines(dialog.drills, dialog.cursor);
  return (
    <PaneFrame title="Run a failover drill" info={`${dialog.drills.length} drill files`} width={width} height={height} focused>
      <Text wrap="truncate">{' Traffic runs, the fault is injected, the stopwatch times detection and recovery, the restore always runs.'}</Text>
      <Text> </Text>
      <StyledLines lines={lines} top={0} height={Math.max(1, Math.min(lines.length, height - 6))} />
      <Box flexGrow={1} />
      {dialog.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${dialog.error}`}</Text> : null}
      <Text wrap="truncate">{' ⏎ its plan (nothing runs yet) · j/k move · esc cancel'}</Text>
    </PaneFrame>
  );
}

function Confirm({ dialog, width, height }: { dialog: DrillDialogOf<'confirm'>; width: number; height: number }) {
  const theme = useTheme();
  const ctx = useDrillCtx();
  const cancel = () => {
    closeDialog(ctx);
    ctx.ui.getState().showMessage('cancelled: nothing ran');
  };
  useInput((ch, key) => {
    if (key.escape) return cancel();
    if (dialog.lab) {
      if (ch === 'y' || ch === 'Y') confirmDrill(ctx, dialog);
      else if (ch === 'n' || ch === 'N') cancel();
      return;
    }
    const type = (typed: string) => ctx.dialogs.getState().update('drill', () => ({ typed, error: undefined }));
    if (key.return) confirmDrill(ctx, dialog);
    else if (key.backspace || key.delete) type(dialog.typed.slice(0, -1));
    else if (key.ctrl && ch === 'u') type('');
    else if (!key.ctrl && !key.meta && ch) type(dialog.typed + ch.replace(CONTROL, ''));
  });
  const lines = drillPlanLines(dialog.spec, shortPath(dialog.file), dialog.preview, dialog.inventory, dialog.lab);
  return (
    <PaneFrame title={`Confirm drill ${dialog.spec.name}`} info={dialog.lab ? undefined : 'typed confirmation'} width={width} height={height} focused>
      <StyledLines lines={lines} top={0} height={Math.min(Math.max(1, height - 4), lines.length)} />
      <Box flexGrow={1} />
      {dialog.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${dialog.error}`}</Text> : null}
      {dialog.lab ? (
        <Text wrap="truncate">
          <Text {...theme.tokens.focus}>{' y'}</Text>
          <Text {...theme.tokens.text}>{' run it (A or ^C aborts and restores)  '}</Text>
          <Text {...theme.tokens.focus}>{'n/esc'}</Text>
          <Text {...theme.tokens.text}>{' cancel'}</Text>
        </Text>
      ) : (
        <Text wrap="truncate">
          <Text {...theme.tokens.warn}>{` a real fault in ${dialog.inventory}, not the lab: type `}</Text>
          <Text {...theme.tokens.focus}>{dialog.inventory}</Text>
          <Text {...theme.tokens.warn}>{' and ⏎ to run it, esc cancels: '}</Text>
          <Text {...theme.tokens.text}>{dialog.typed}</Text>
          <Text inverse> </Text>
        </Text>
      )}
    </PaneFrame>
  );
}

export function interruptedDrillLines(d: InterruptedDrill, selected: boolean): Line[] {
  const { summary } = d;
  const injected = d.injected === 'ok' ? 'the fault was injected and may still be in place' : d.injected === 'failed' ? 'the fault step failed' : 'the fault step did not end in the journal (it may be in place)';
  return [
    [{ text: `${selected ? '>' : ' '} drill ${d.drill}`, token: selected ? 'focus' : 'text' }, { text: `  ${summary.plan.title.replace(/^drill [^:]*: /, '')}`, token: 'warn' }],
    [{ text: `   ${summary.id} · by ${operatorLabel(summary.who)} (pid ${summary.who.pid}) at ${formatClock(summary.startedAt)}`, token: 'muted' }],
    [{ text: `   ${injected}`, token: d.injected === 'failed' ? 'text' : 'warn' }],
    [{ text: `   restore: ${d.restore.length > 0 ? summary.plan.undo.map((s) => s.label).join('; ') : 'none journaled: put it back by hand'}`, token: 'text' }],
    [],
  ];
}

function Interrupted({ dialog, width, height }: { dialog: DrillDialogOf<'interrupted'>; width: number; height: number }) {
  const theme = useTheme();
  const ctx = useDrillCtx();
  const current = dialog.items[dialog.cursor];
  const set = (change: Partial<DrillDialogOf<'interrupted'>>) => ctx.dialogs.getState().update('drill', () => change);
  useInput((ch, key) => {
    if (dialog.busy) return;
    const action = actionFor(ctx.keymap, ch, key);
    const move = action === 'down' ? 1 : action === 'up' ? -1 : 0;
    if (move !== 0) return set({ cursor: Math.max(0, Math.min(dialog.items.length - 1, dialog.cursor + move)), error: undefined });
    if (key.escape) {
      closeDialog(ctx);
      return ctx.ui.getState().showMessage('interrupted drills left for later: the next start offers them again');
    }
    if (ch !== 'r' || !current || !ctx.drills) return;
    if (current.restore.length === 0) return set({ error: `drill ${current.drill} journaled no restore steps: put it back by hand` });
    set({ busy: `restoring ${current.drill}…`, error: undefined });
    void ctx.drills.restore(current).then(
      ({ restored, steps }) => {
        if (!restored) {
          const what = steps.map((s) => `${s.label}: ${s.outcome} ${s.detail}`).join('; ') || 'it did not run';
          return set({ busy: undefined, error: `restore of ${current.drill} did not complete (${what}); offered again at the next start` });
        }
        const items = dialog.items.filter((i) => i !== current);
        ctx.ui.getState().showMessage(`drill ${current.drill} restored: ${steps.length} restore step${steps.length === 1 ? '' : 's'} ok (baton history ${current.summary.id})`);
        if (items.length === 0) closeDialog(ctx);
        else set({ items, cursor: Math.min(dialog.cursor, items.length - 1), busy: undefined });
      },
      (err: Error) => set({ busy: undefined, error: `restore of ${current.drill}: ${err.message}` }),
    );
  });
  const lines = dialog.items.flatMap((d, i) => interruptedDrillLines(d, i === dialog.cursor));
  return (
    <PaneFrame title={`Interrupted drill${dialog.items.length === 1 ? '' : 's'}`} info={`${dialog.items.length} not restored`} width={width} height={height} focused>
      <Text wrap="truncate">{' These drills stopped mid-drill (their console is gone): the fault may still be in place.'}</Text>
      <Text> </Text>
      <StyledLines lines={lines} top={0} height={Math.max(1, height - 6)} />
      {dialog.busy ? <Text wrap="truncate" {...theme.tokens.warn}>{` ${dialog.busy}`}</Text> : null}
      {dialog.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${dialog.error}`}</Text> : null}
      <Text wrap="truncate">{' r restore now (its journaled restore steps) · j/k move · esc later'}</Text>
    </PaneFrame>
  );
}

export function DrillDialogView({ dialog, width, height }: { dialog: Extract<Dialog, { kind: 'drill' }>; width: number; height: number }) {
  if (dialog.step === 'pick') return <Picker dialog={dialog} width={width} height={height} />;
  if (dialog.step === 'confirm') return <Confirm dialog={dialog} width={width} height={height} />;
  return <Interrupted dialog={dialog} width={width} height={height} />;
}
