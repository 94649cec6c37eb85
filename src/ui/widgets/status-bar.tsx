// The top line: clock, inventory, hosts up (stale ones not)/total, age of
// the newest data, the READ-ONLY badge and the view. It is the only line that
// changes every second, so it is kept short (clock first, no padding): each
// tick rewrites the whole line.
import { Text } from 'ink';
import { newestUpdate, STALE_AFTER_INTERVALS, upCount } from '../../store/selectors.js';
import { useBaton, useConsole, useTheme, useUi } from '../context.js';
import { formatAge, formatClock } from '../format.js';
import { findView } from '../hooks/use-current-view.js';
import { useNow } from '../hooks/use-now.js';

export function StatusBar() {
  const theme = useTheme();
  const { intervalMs, views } = useConsole();
  const now = useNow(1000);
  const name = useBaton((s) => s.inventory.name);
  const up = useBaton((s) => upCount(s, now, intervalMs));
  const total = useBaton((s) => s.order.length);
  const newest = useBaton(newestUpdate);
  const readOnly = useBaton((s) => s.readOnly);
  const selected = useUi((s) => s.selected.size);
  const viewTitle = findView(views, useUi((s) => s.view)).title;

  const age = newest === undefined ? 'no data yet' : `data ${formatAge(now - newest)} ago`;
  const old = newest !== undefined && now - newest > STALE_AFTER_INTERVALS * intervalMs;
  const upToken = total === 0 || up === total ? 'ok' : up === 0 ? 'crit' : 'warn';
  const parts: { text: string; style: object }[] = [
    { text: ` ${formatClock(now)} `, style: theme.tokens.muted },
    { text: ' baton ', style: { ...theme.tokens.focus, inverse: true } },
    { text: ` ${name} `, style: theme.tokens.text },
    { text: `up ${up}/${total}`, style: theme.tokens[upToken] },
    { text: ` · ${age}`, style: old ? theme.tokens.warn : theme.tokens.muted },
    ...(readOnly ? [{ text: ' ', style: {} }, { text: ' READ-ONLY ', style: { ...theme.tokens.warn, inverse: true } }] : []),
    ...(selected > 0 ? [{ text: ` · ${selected} selected`, style: theme.tokens.focus }] : []),
    { text: ` · ${viewTitle}`, style: theme.tokens.muted },
  ];
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        <Text key={i} {...p.style}>
          {p.text}
        </Text>
      ))}
    </Text>
  );
}
