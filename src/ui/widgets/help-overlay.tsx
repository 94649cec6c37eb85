// `?`: every key with what it does (from the live keymap, so rebinding
// shows), the view numbers, the commands and the filter syntax. Columns are
// never narrower than MIN_COLUMN (what a key does stays readable); what does
// not fit goes on further pages.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { ServiceKind } from '../../store/services.js';
import { useActionsUi } from '../actions/actions-context.js';
import { actionKey, keyFormHelp } from '../actions/pane-action-keys.js';
import { COMMANDS } from '../commands.js';
import { useConsole, useTheme } from '../context.js';
import { fit } from '../format.js';
import { ACTION_NAMES, ACTIONS } from '../keymap/keymap.js';
import { JUMP_ACTIONS, jumpKind } from '../status-strip/jump-target.js';
import { STRIP_LABELS } from '../status-strip/strip-segments.js';
import { PaneFrame } from './pane-frame.js';

/** A key and enough of its words to read: below this, more columns would truncate every line. */
const MIN_COLUMN = 38;

const SHORT: Record<string, string> = { pagedown: 'PgDn', pageup: 'PgUp', 'shift+tab': 'S-tab', escape: 'esc' };
const shortKey = (key: string): string => SHORT[key] ?? key.replace(/^ctrl\+/, 'C-');

interface Entry {
  key: string;
  help: string;
  heading?: boolean;
}

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const { keymap, views, ui } = useConsole();
  const loaded = useActionsUi().service?.actions() ?? [];
  const keyed = loaded.filter((a) => actionKey(a) !== undefined);
  const forms = keyFormHelp(loaded);
  const jumps = Object.keys(JUMP_ACTIONS) as ServiceKind[];
  const [page, setPage] = useState(0);

  const entries: Entry[] = [
    { key: 'Keys', help: '', heading: true },
    ...ACTION_NAMES.filter((a) => !jumpKind(a)).map((a) => ({ key: keymap.bindings[a].map(shortKey).join(' '), help: ACTIONS[a].help })),
    // The strip's jump keys on one line, keys and panes in the same order.
    { key: jumps.map((k) => keymap.bindings[JUMP_ACTIONS[k]].map(shortKey).join('/') || '-').join(' '), help: `jump to the ${jumps.map((k) => STRIP_LABELS[k]).join(' ')} pane` },
    ...(keyed.length ? [{ key: 'Action keys', help: '', heading: true }] : []),
    ...keyed.map((a) => ({ key: shortKey(actionKey(a)!), help: a.name })),
    ...forms,
    { key: 'Views', help: '', heading: true },
    ...views.slice(0, 9).map((v, i) => ({ key: String(i + 1), help: `${v.title} (:view ${v.name})` })),
    { key: 'Commands', help: '', heading: true },
    ...COMMANDS.map((c) => ({ key: `:${c.usage}`, help: c.help })),
    { key: 'Filter', help: '', heading: true },
    { key: 'web db', help: 'regex terms, all must match' },
    { key: '!web', help: 'invert a term' },
    { key: 'env=prod', help: 'tag or field equals (glob * ?)' },
    { key: 'state=hostkey-*', help: 'fields: state group host user os; events: severity host source' },
  ];
  const rows = Math.max(1, height - 2);
  const columns = Math.max(1, Math.min(Math.ceil(entries.length / rows), Math.floor((width - 2) / MIN_COLUMN)));
  const perPage = rows * columns;
  const pages = Math.ceil(entries.length / perPage);
  const shown = Math.min(page, pages - 1);
  const colWidth = Math.floor((width - 2) / columns);
  useInput((input, key) => {
    if (pages > 1 && (input === ' ' || key.pageDown || key.rightArrow)) return setPage((shown + 1) % pages);
    if (pages > 1 && (key.pageUp || key.leftArrow)) return setPage((shown + pages - 1) % pages);
    ui.getState().setMode('normal');
  });
  const onPage = entries.slice(shown * perPage, (shown + 1) * perPage);
  const info = pages > 1 ? `page ${shown + 1}/${pages} · space next · any other key closes` : 'any key closes';
  return (
    <PaneFrame title="Help" info={info} width={width} height={height} focused>
      <Box flexDirection="row">
        {Array.from({ length: columns }, (_, c) => (
          <HelpColumn key={c} entries={onPage.slice(c * rows, (c + 1) * rows)} width={colWidth} />
        ))}
      </Box>
    </PaneFrame>
  );
}

function HelpColumn({ entries, width }: { entries: Entry[]; width: number }) {
  const theme = useTheme();
  // Keys as wide as the column's longest, within half the column.
  const keyWidth = Math.min(Math.floor(width / 2), 2 + Math.max(0, ...entries.filter((e) => !e.heading).map((e) => e.key.length)));
  return (
    <Box flexDirection="column" width={width}>
      {entries.map((e, i) =>
        e.heading ? (
          <Text key={i} {...theme.tokens.focus} bold>
            {fit(` ${e.key}`, width)}
          </Text>
        ) : (
          <Text key={i} wrap="truncate">
            <Text {...theme.tokens.text}>{fit(` ${e.key}`, keyWidth)}</Text>
            <Text {...theme.tokens.muted}>{` ${e.help}`}</Text>
          </Text>
        ),
      )}
    </Box>
  );
}
