// Full-screen detail of one host: metrics, connection, recent events and
// the tail of its system log (fetched when opened, `r` reloads).
import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { trimSystemLog } from '../../probes/system-log.js';
import { lockHolders } from '../../store/lock-holders.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { fit, formatClock } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import { actionFor } from '../keymap/keymap.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { hostDetailLines } from './host-detail-lines.js';

const RECENT_EVENTS = 3;
const LABEL_WIDTH = 9;

type LogState = { status: 'loading' } | { status: 'ok'; lines: string[] } | { status: 'error'; message: string };

export function HostDetail({ hostId, width, height, active }: { hostId: string; width: number; height: number; active: boolean }) {
  const theme = useTheme();
  const { intervalMs, thresholds, fetchHostLog, keymap } = useConsole();
  const host = useBaton((s) => s.hosts[hostId]);
  const events = useBaton((s) => s.events);
  const locks = useBaton((s) => lockHolders(s.services));
  const now = useNow(1000);
  const [reload, setReload] = useState(0);
  const [log, setLog] = useState<LogState>({ status: 'loading' });
  // Lines scrolled up from the tail; 0 follows the newest line.
  const [back, setBack] = useState(0);

  useEffect(() => {
    let live = true;
    setLog({ status: 'loading' });
    fetchHostLog(hostId).then(
      (raw) => {
        // Trimmed again here: the log is shown whatever fetchHostLog returned.
        const text = trimSystemLog(raw);
        if (live) setLog({ status: 'ok', lines: text === '' ? [] : text.split('\n') });
      },
      (err: unknown) => {
        const message = trimSystemLog(err instanceof Error ? err.message : String(err), { maxLines: 3 }).replace(/\n/g, ' ');
        if (live) setLog({ status: 'error', message });
      },
    );
    return () => {
      live = false;
    };
  }, [fetchHostLog, hostId, reload]);

  const recent = useMemo(() => events.filter((e) => e.hostId === hostId).slice(0, RECENT_EVENTS), [events, hostId]);
  const inner = width - 2;
  const facts = useMemo(
    () => (host ? hostDetailLines(host, { now, intervalMs, thresholds, width: inner - 1 - LABEL_WIDTH, locks }) : []),
    [host, now, intervalMs, thresholds, inner, locks],
  );
  const logRows = Math.max(0, height - 2 - facts.length - Math.max(1, recent.length) - 1);
  const lines = log.status === 'ok' ? log.lines : [];
  const maxBack = Math.max(0, lines.length - logRows);
  const shownBack = Math.min(back, maxBack);

  useInput(
    (input, key) => {
      const action = actionFor(keymap, input, key);
      const page = Math.max(1, logRows);
      const moves: Partial<Record<string, number>> = { up: 1, down: -1, pageUp: page, pageDown: -page, top: maxBack, bottom: -maxBack };
      if (action === 'refresh') setReload((n) => n + 1);
      else if (action && moves[action] !== undefined) setBack(Math.max(0, Math.min(maxBack, shownBack + moves[action])));
    },
    { isActive: active },
  );

  if (!host) {
    return (
      <PaneFrame title={hostId} width={width} height={height} focused>
        <Text {...theme.tokens.crit}> this host is no longer in the inventory — esc goes back</Text>
      </PaneFrame>
    );
  }
  const logTitle = log.status === 'ok' ? `system log · ${lines.length} lines${shownBack > 0 ? ` · ${shownBack} up` : ''}` : 'system log';
  const visibleLog = lines.slice(Math.max(0, lines.length - logRows - shownBack), lines.length - shownBack);
  return (
    <PaneFrame title={host.spec.id} info={host.spec.groups.join(',')} width={width} height={height} focused>
      {facts.map((line, i) => (
        <Text key={i} wrap="truncate">
          <Text {...theme.tokens.muted}>{` ${line.label.padEnd(LABEL_WIDTH)}`}</Text>
          {line.parts.map((p, i) => (
            <Text key={i} {...theme.tokens[p.token ?? 'text']}>
              {p.text}
            </Text>
          ))}
        </Text>
      ))}
      {recent.length === 0 ? <Text {...theme.tokens.muted}>{` ${'events'.padEnd(LABEL_WIDTH)}none`}</Text> : null}
      {recent.map((e, i) => (
        <Text key={e.id} wrap="truncate">
          <Text {...theme.tokens.muted}>{` ${(i === 0 ? 'events' : '').padEnd(LABEL_WIDTH)}${formatClock(e.at)} `}</Text>
          <Text {...theme.tokens[e.severity === 'info' ? 'text' : e.severity]}>{e.message}</Text>
        </Text>
      ))}
      <Text {...theme.tokens.border}>{fit(`── ${logTitle} `, inner, 'left', false).padEnd(inner, '─')}</Text>
      <Box flexDirection="column" height={logRows}>
        {log.status === 'loading' ? <Text {...theme.tokens.muted}> loading…</Text> : null}
        {log.status === 'error' ? <Text {...theme.tokens.crit} wrap="truncate">{` ${log.message}`}</Text> : null}
        {log.status === 'ok' && lines.length === 0 ? <Text {...theme.tokens.muted}> (empty)</Text> : null}
        {visibleLog.map((l, i) => (
          <Text key={i} wrap="truncate">
            {` ${l}`}
          </Text>
        ))}
      </Box>
    </PaneFrame>
  );
}
