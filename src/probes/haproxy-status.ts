// The `status` column of HAProxy's `show stat`, read by its parts. HAProxy
// 2.6 writes, for a server: UP, DOWN, NOLB, DRAIN, `no check`, MAINT; with a
// source: `DOWN (agent)`, `DRAIN (agent)` (an agent check is set up),
// `MAINT (via BACKEND/SERVER)` (tracks a server in maintenance),
// `MAINT (resolution)` (its name does not resolve); between states:
// `UP n/m`, `NOLB n/m`, `DRAIN n/m` (failing checks: n more failures of
// `fall` m and it is DOWN) and `DOWN n/m` (n of `rise` m checks passed).
// A backend is UP or DOWN (no server takes load: all down or at weight 0); a
// frontend OPEN, PAUSED (`disable frontend`) or STOP; a listener WAITING,
// OPEN or FULL. Pure.

export type HaproxyState = 'up' | 'down' | 'nolb' | 'drain' | 'maint' | 'no-check' | 'open' | 'full' | 'paused' | 'waiting' | 'stopped' | 'unknown';

/** Who put it in that state, when HAProxy says: its agent check, the server it tracks, DNS resolution. */
export type HaproxyStateSource = 'agent' | 'tracked' | 'resolution';

/** Checks under way out of the state: `toward` is where they lead. */
export interface HaproxyTransition {
  toward: 'up' | 'down';
  /** Toward down: failed checks still needed before DOWN; toward up: checks passed so far. */
  count: number;
  /** Toward down: the server's `fall`; toward up: its `rise`. */
  of: number;
}

export interface HaproxyStatus {
  state: HaproxyState;
  stateSource: HaproxyStateSource | null;
  /** The `backend/server` a `MAINT (via ...)` server follows. */
  tracks: string | null;
  transition: HaproxyTransition | null;
}

const WORDS: Record<string, HaproxyState> = {
  UP: 'up',
  DOWN: 'down',
  NOLB: 'nolb',
  DRAIN: 'drain',
  MAINT: 'maint',
  'no check': 'no-check',
  OPEN: 'open',
  FULL: 'full',
  PAUSED: 'paused',
  WAITING: 'waiting',
  STOP: 'stopped',
};

const plain = (state: HaproxyState): HaproxyStatus => ({ state, stateSource: null, tracks: null, transition: null });

/** `state` is `unknown` when the text is none of HAProxy's: the caller reports it. */
export function parseHaproxyStatus(text: string): HaproxyStatus {
  const t = text.trim();
  const word = WORDS[t];
  if (word) return plain(word);
  const counted = /^(UP|DOWN|NOLB|DRAIN) (\d+)\/(\d+)$/.exec(t);
  if (counted) {
    const [, w = '', count = '', of = ''] = counted;
    return { ...plain(WORDS[w] ?? 'unknown'), transition: { toward: w === 'DOWN' ? 'up' : 'down', count: Number(count), of: Number(of) } };
  }
  const agent = /^(DOWN|DRAIN) \(agent\)$/.exec(t);
  if (agent) return { ...plain(WORDS[agent[1] ?? ''] ?? 'unknown'), stateSource: 'agent' };
  // Older releases wrote `MAINT(via)` without the tracked server.
  const maint = /^MAINT ?\((?:(resolution)|via(?: (\S+))?)\)$/.exec(t);
  if (maint) return maint[1] ? { ...plain('maint'), stateSource: 'resolution' } : { ...plain('maint'), stateSource: 'tracked', tracks: maint[2] ?? null };
  return plain('unknown');
}

/** Takes new load-balanced traffic: UP (also while failing checks) or not checked. */
export const takesTraffic = (s: HaproxyStatus): boolean => s.state === 'up' || s.state === 'no-check';
