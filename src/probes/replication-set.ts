// A replication set (a primary and its replicas, PostgreSQL or MySQL, named
// by the inventory's `cluster`): what only the set as a whole shows. Two
// primaries at once is split brain; a set with no primary answering has no
// one taking writes. Pure; the service plan feeds it each member's latest
// answer and turns its changes into events.
import type { Severity } from './severity.js';

export interface SetMember {
  host: string;
  role: 'primary' | 'replica' | 'down';
  /** When it last answered (or failed to), ms. */
  at: number;
}

export interface SetNotice {
  severity: Severity;
  message: string;
  brief?: string;
  hostId?: string;
  /** Stable identity, for raised/cleared events. */
  key: string;
}

export function setAlerts(set: string, members: readonly SetMember[]): SetNotice[] {
  const primaries = members.filter((m) => m.role === 'primary').map((m) => m.host);
  if (primaries.length > 1) {
    const names = primaries.join(' and ');
    return primaries.map((host) => ({
      severity: 'crit' as const,
      key: `split-brain:${host}`,
      hostId: host,
      brief: `${set} split brain`,
      message: `split brain in ${set}: ${names} are all primary (fence one; its writes since the split are lost)`,
    }));
  }
  if (members.length > 0 && primaries.length === 0) {
    return [{ severity: 'crit', key: 'no-primary', brief: `${set} no primary`, message: `no primary answers in ${set} (${members.map((m) => `${m.host} ${m.role}`).join(', ')})` }];
  }
  return [];
}

/**
 * The latest answer of each member; a member whose answers stopped (its
 * host unreachable) is left out once it has missed two of its own polls.
 */
export class SetTracker {
  private readonly members = new Map<string, SetMember & { gap: number }>();
  private previous: SetNotice[] = [];
  /** Raised and cleared notices not yet taken by a member's events. */
  private pending: { severity: Severity; message: string; brief?: string; hostId?: string }[] = [];

  constructor(readonly set: string) {}

  /** Records one member's answer (or failure); the notices it raises or clears wait for drain(). */
  record(member: SetMember): void {
    const before = this.members.get(member.host);
    this.members.set(member.host, { ...member, gap: before ? Math.max(1000, member.at - before.at) : 1000 });
    const current = this.alerts(member.at);
    const had = new Set(this.previous.map((n) => n.key));
    const has = new Set(current.map((n) => n.key));
    const raised = current.filter((n) => !had.has(n.key));
    const cleared = this.previous.filter((n) => !has.has(n.key)).map((n) => ({ severity: 'info' as const, hostId: n.hostId, message: `cleared: ${n.message.split(':')[0]}` }));
    this.previous = current;
    this.pending.push(...raised.map(({ key: _key, ...n }) => n), ...cleared);
  }

  /** The set's news since the last call: the next member that answers reports it. */
  drain(): { severity: Severity; message: string; brief?: string; hostId?: string }[] {
    const news = this.pending;
    this.pending = [];
    return news;
  }

  alerts(now: number): SetNotice[] {
    const live = [...this.members.values()].filter((m) => now - m.at <= 2 * m.gap + 500);
    return setAlerts(this.set, live);
  }
}
