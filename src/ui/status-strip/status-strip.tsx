// The strip line of a view that asks for it (`strip: true`): each service
// kind's state, with its jump key. A label that starts with its key shows
// the key as its first letter, bold and underlined (visible without colour);
// a rebound key goes in front of the label. When the line would not fit,
// the services' names go first (the kind and its problems stay).
import { Text } from 'ink';
import { useMemo } from 'react';
import type { ServiceKind } from '../../store/services.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { useNow } from '../hooks/use-now.js';
import { keyLabel } from '../keymap/keymap.js';
import type { Token } from '../theme/theme.js';
import { JUMP_ACTIONS } from './jump-target.js';
import { STRIP_SEPARATOR, stripSegments, stripText, type StripState } from './strip-segments.js';

const STATE_TOKEN: Record<StripState, Token> = { ok: 'ok', waiting: 'muted', warn: 'warn', crit: 'crit' };

export function StatusStrip({ width }: { width: number }) {
  const theme = useTheme();
  const { keymap, intervalMs } = useConsole();
  const keyOf = (kind: ServiceKind): string => (keymap.bindings[JUMP_ACTIONS[kind]].length > 0 ? keyLabel(keymap, JUMP_ACTIONS[kind]) : '');
  const services = useBaton((s) => s.services);
  // Staleness is re-judged once per poll interval, as the service panes do.
  const now = useNow(intervalMs);
  const segments = useMemo(() => stripSegments(services, now, intervalMs), [services, now, intervalMs]);
  // One leading space, and a key in front of each label that does not start with it.
  const keys = segments.filter((s) => !s.label.startsWith(keyOf(s.kind))).reduce((n, s) => n + keyOf(s.kind).length + 1, 0);
  const short = 1 + keys + stripText(segments).length > width;
  return (
    <Text wrap="truncate">
      {segments.map((s, i) => {
        const key = keyOf(s.kind);
        const inLabel = key !== '' && s.label.startsWith(key);
        const style = theme.tokens[STATE_TOKEN[s.state]];
        const label = inLabel ? s.label.slice(key.length) : key !== '' ? ` ${s.label}` : s.label;
        return (
          <Text key={s.kind}>
            {i > 0 ? <Text {...theme.tokens.muted}>{STRIP_SEPARATOR}</Text> : ' '}
            {key !== '' && (
              <Text {...style} bold underline>
                {key}
              </Text>
            )}
            <Text {...style}>{`${label} ${short ? s.short : s.text}`}</Text>
          </Text>
        );
      })}
    </Text>
  );
}
