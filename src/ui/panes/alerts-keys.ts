// The Alerts pane's own keys (none is bound in the keymap; Enter, j/k and
// esc are the keymap's), for the pane, its key line and `?`; and the
// arguments a silence of an alert takes: one matcher per label.
import type { AlertRow } from '../../store/alerts.js';

export const ALERTS_KEYS = { silence: 'm', expire: 'u' } as const;

export const ALERTS_KEY_HINTS: readonly string[] = [`${ALERTS_KEYS.silence} silence`, `${ALERTS_KEYS.expire} expire silence`];

/** One line in `?` (it pages past its height): silence / expire; Enter is the keymap's `open`. */
export const ALERTS_KEY_HELP: readonly { key: string; help: string }[] = [
  { key: `${ALERTS_KEYS.silence}/${ALERTS_KEYS.expire}`, help: 'Alerts pane: plan alertmanager.silence of the alert (its labels, 2h) / .expire of its silence' },
];

/** `name=value` for each label, sorted: the action's matchers. */
export const silenceArgs = (r: Pick<AlertRow, 'labels'>): string[] =>
  Object.entries(r.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
