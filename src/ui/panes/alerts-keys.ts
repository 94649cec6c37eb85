// The Alerts pane's own keys (none is bound in the keymap; Enter, j/k and
// esc are the keymap's), for the pane, its key line and `?`; and the
// arguments a silence of an alert takes: one matcher per label.
import type { AlertRow } from '../../store/alerts.js';

export const ALERTS_KEYS = { silence: 'm', expire: 'u' } as const;

export const ALERTS_KEY_HINTS: readonly string[] = [`${ALERTS_KEYS.silence} silence`, `${ALERTS_KEYS.expire} expire silence`];

export const ALERTS_KEY_HELP: readonly { key: string; help: string }[] = [
  { key: ALERTS_KEYS.silence, help: 'Alerts pane: plan alertmanager.silence of the alert under the cursor (its labels, 2h, your name)' },
  { key: ALERTS_KEYS.expire, help: 'Alerts pane: plan alertmanager.expire of the silence holding the alert under the cursor' },
  { key: '⏎', help: 'Alerts pane: every label and annotation of the alert (esc back)' },
];

/** `name=value` for each label, sorted: the action's matchers. */
export const silenceArgs = (r: Pick<AlertRow, 'labels'>): string[] =>
  Object.entries(r.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
