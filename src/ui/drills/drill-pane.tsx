// The drill pane: the big stopwatch (since the fault), the timeline from
// the fault to restored with times, the traffic now (success, p50/p95, the
// longest gap with no ok request), the events baton raised, and at the end
// the verdict and the report's path. A aborts the running drill (restore).
import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { useConsole, useTheme } from '../context.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { keyLabel } from '../keymap/keymap.js';
import type { PaneProps } from '../panes/pane-props.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import { useDrills, useLiveDrill } from './drill-context.js';
import { abortDrill } from './drill-flow.js';
import { drillLines } from './drill-lines.js';
import type { LiveDrill } from './drill-service.js';
import { drillSnapshot } from './drill-snapshot.js';

/** The runner's clock (epoch ms with a fraction), so the stopwatch and its marks agree. */
const drillNow = () => performance.timeOrigin + performance.now();

/** Re-renders every `ms` while `on`: the stopwatch's tenths. */
function useTick(ms: number, on: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms, on]);
}

const isOver = (d: LiveDrill) => d.outcome !== undefined || d.error !== undefined;

function waitingLines(d: LiveDrill): Line[] {
  return [
    [{ text: ` ${d.drill}`, token: 'focus' }, { text: ': waiting for every service\'s first reading, reading the placeholders, taking the lock', token: 'muted' }],
    ...d.log.map((l): Line => [{ text: `   ${l}`, token: 'muted' }]),
  ];
}

function errorLines(d: LiveDrill): Line[] {
  return [[{ text: ` drill ${d.drill} did not run: `, token: 'crit' }, { text: d.error ?? '', token: 'text' }], ...d.log.map((l): Line => [{ text: `   ${l}`, token: 'muted' }])];
}

export function DrillPane({ spec, width, height, focused, active }: PaneProps) {
  const theme = useTheme();
  const services = useConsole();
  const drills = useDrills();
  const current = useLiveDrill((s) => s.current);
  useTick(100, current !== undefined && !isOver(current));
  usePaneKeys(active, (action) => {
    if (action !== 'abortAction') return;
    if (!abortDrill({ ui: services.ui, drills }, `${keyLabel(services.keymap, 'abortAction')} pressed`)) services.ui.getState().showMessage('no drill is running', 'warn');
  });
  const inner = Math.max(0, height - 2);
  let lines: Line[];
  let info: string;
  if (!current) {
    lines = [];
    info = 'no drill yet';
  } else if (current.error) {
    lines = errorLines(current);
    info = 'did not run';
  } else if (!current.run) {
    lines = waitingLines(current);
    info = 'starting';
  } else {
    const phase = current.phase === 'starting' ? 'settling' : current.phase;
    lines = drillLines(current.drill, drillSnapshot(phase, current.run, current.requests(), drillNow()), width - 2, inner, current.outcome);
    info = current.outcome ? (current.outcome.passed ? 'PASSED' : 'FAILED') : phase;
  }
  return (
    <PaneFrame title={spec.title ?? PANE_TITLES.drill} info={info} width={width} height={height} focused={focused}>
      {current ? (
        <StyledLines lines={lines} top={0} height={Math.min(inner, lines.length)} />
      ) : (
        <Text wrap="truncate" {...theme.tokens.muted}>
          {` no drill yet: ${keyLabel(services.keymap, 'drill')} picks one (shipped drills/, then ~/.config/baton/drills/) · ${keyLabel(services.keymap, 'abortAction')} or ^C aborts a running drill and restores`}
        </Text>
      )}
    </PaneFrame>
  );
}
