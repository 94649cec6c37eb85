// The state badge of a host row: the connection state, except that data
// older than a few poll intervals says "stale" even while the link is up.
import { isStale } from '../store/selectors.js';
import type { HostState } from '../store/types.js';
import type { ConnState } from '../transport/types.js';
import type { Token } from './theme/theme.js';

export type Badge = ConnState | 'stale' | 'unsupported';

export const BADGE_LABEL: Record<Badge, string> = {
  up: 'up',
  connecting: 'connecting',
  unreachable: 'unreachable',
  'auth-failed': 'auth-failed',
  'hostkey-unknown': 'hostkey-new',
  'hostkey-mismatch': 'hostkey-BAD',
  'timed-out': 'timed-out',
  'command-failed': 'cmd-failed',
  stale: 'stale',
  unsupported: 'unsupported',
};

export const BADGE_TOKEN: Record<Badge, Token> = {
  up: 'ok',
  connecting: 'unknown',
  unreachable: 'crit',
  'auth-failed': 'crit',
  'hostkey-unknown': 'crit',
  'hostkey-mismatch': 'crit',
  'timed-out': 'warn',
  'command-failed': 'warn',
  stale: 'warn',
  unsupported: 'unknown',
};

/** Worse states rank higher, so sorting by state descending puts trouble first. */
export const BADGE_RANK: Record<Badge, number> = {
  up: 0,
  connecting: 1,
  unsupported: 2,
  stale: 3,
  'command-failed': 4,
  'timed-out': 5,
  unreachable: 6,
  'auth-failed': 7,
  'hostkey-unknown': 8,
  'hostkey-mismatch': 9,
};

export function hostBadge(host: HostState, now: number, intervalMs: number): Badge {
  if (host.conn !== 'up') return host.conn;
  if (host.unsupported !== undefined) return 'unsupported';
  return isStale(host, now, intervalMs) ? 'stale' : 'up';
}
