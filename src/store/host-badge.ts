// The state badge of a host: the connection state, except that data older
// than a few poll intervals says "stale" even while the link is up.
import type { ConnState } from '../transport/types.js';
import { isStale } from './selectors.js';
import type { HostState } from './types.js';

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

export function hostBadge(host: HostState, now: number, intervalMs: number): Badge {
  if (host.conn !== 'up') return host.conn;
  if (host.unsupported !== undefined) return 'unsupported';
  return isStale(host, now, intervalMs) ? 'stale' : 'up';
}
