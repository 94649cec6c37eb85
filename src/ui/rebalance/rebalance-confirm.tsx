// The confirm dialog of a rebalance plan: above the usual plan (changes,
// preconditions, locks, verify), each host's load now and as predicted after
// (blessed-contrib bars, as the Cluster load pane draws them), coloured by
// where it stands against the band.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { RebalancePlanArgs } from '../../ops/rebalance/rebalance-plan.js';
import { useTheme } from '../context.js';
import type { Token } from '../theme/theme.js';
import { BarChart, barsThatFit, type BarDatum } from '../widgets/bar-chart.js';
import { ConfirmDialog, type ConfirmDialogProps } from '../widgets/confirm-dialog.js';

const TOKEN: Record<'over' | 'under' | 'balanced', Token> = { over: 'warn', under: 'unknown', balanced: 'ok' };
const CHART_ROWS = 7;
const MIN_DIALOG_ROWS = 12;

/** Pairs of bars per host, before then after (`→`); the hosts that move most first when not all fit. */
export function beforeAfterBars(args: RebalancePlanArgs, width: number): BarDatum[] {
  const pairs = Math.max(0, Math.floor(barsThatFit(width) / 2));
  const hosts = [...args.forecast.hosts].sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || b.before - a.before).slice(0, pairs);
  const order = new Map(args.forecast.hosts.map((h, i) => [h.id, i]));
  hosts.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return hosts.flatMap((h) => [
    { label: h.id, value: h.before, token: TOKEN[h.balanceBefore] },
    { label: '→', value: h.after, token: TOKEN[h.balanceAfter] },
  ]);
}

export function RebalanceConfirm(props: ConfirmDialogProps) {
  const theme = useTheme();
  const args = props.plan.args as unknown as RebalancePlanArgs;
  const bars = useMemo(() => beforeAfterBars(args, props.width - 2), [args, props.width]);
  const room = props.height - CHART_ROWS - 1 >= MIN_DIALOG_ROWS && bars.length > 0;
  if (!room) return <ConfirmDialog {...props} />;
  const f = args.forecast;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text {...theme.tokens.focus}>{' load per host, now → predicted'}</Text>
        <Text {...theme.tokens.muted}>{` · target ${Math.round(f.target.before)}% → ${Math.round(f.target.after)}% ±${f.band} · spread ${Math.round(f.spread.before)} → ${Math.round(f.spread.after)} points`}</Text>
      </Text>
      <BarChart width={props.width} height={CHART_ROWS} bars={bars} />
      <ConfirmDialog {...props} height={props.height - CHART_ROWS - 1} />
    </Box>
  );
}
