// The Sync pane's own keys (none is bound in the keymap; Enter, j/k and
// esc are the keymap's), for the pane, its key line and `?`.
export const SYNC_KEYS = { apply: 'y', rollback: 'R', recheck: 'c' } as const;

export const SYNC_KEY_HINTS: readonly string[] = [`${SYNC_KEYS.apply} apply`, `${SYNC_KEYS.rollback} rollback`, `${SYNC_KEYS.recheck}/r re-check`];

export const SYNC_KEY_HELP: readonly { key: string; help: string }[] = [
  { key: SYNC_KEYS.apply, help: 'Sync pane: plan sync.apply of the set under the cursor (the confirm dialog)' },
  { key: SYNC_KEYS.rollback, help: 'Sync pane: the versions the host keeps (hash, time, who); ⏎ plans sync.rollback to before one' },
  { key: `${SYNC_KEYS.recheck}/r`, help: 'Sync pane: re-check every set\'s hashes now (else every --sync-every intervals)' },
  { key: '⏎', help: 'Sync pane: the diff of the host under the cursor, target → source (esc back)' },
];
