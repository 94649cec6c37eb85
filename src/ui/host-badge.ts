// The state badge of a host row: the connection state, except that data
// older than a few poll intervals says "stale" even while the link is up.
import { type Badge } from '../store/host-badge.js';
import type { Token } from './theme/theme.js';

export { BADGE_LABEL, hostBadge, type Badge } from '../store/host-badge.js';

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
