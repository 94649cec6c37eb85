// The console's memory of every broker's queues, kept from the moment the
// console starts (App feeds it each store change) so a queue's detail can
// chart more than the probe's short depth history, whatever view was shown
// meanwhile. Snapshots that come without derived figures (plain probe
// output) are derived here from the book's own samples.
import { deriveQueues, type DerivedQueue, type QueueHistory } from '../../probes/queues/queue-trends.js';
import type { QueueSnapshot } from '../../probes/queues/queue-types.js';
import { serviceId, type ServicesState } from '../../store/services.js';

/** One poll of one queue, for the history chart. */
export interface QueuePoint {
  at: number;
  depth: number | null;
  inRate: number | null;
  outRate: number | null;
}

/** Points kept per queue: 8 minutes at the default 2 s interval, wider than any chart. */
export const SERIES_LIMIT = 240;

interface Broker {
  takenAt: number;
  history: QueueHistory;
  queues: DerivedQueue[];
  series: Map<string, QueuePoint[]>;
}

const isDerived = (q: object): q is DerivedQueue => Array.isArray((q as Partial<DerivedQueue>).depthHistory);
const NO_POINTS: readonly QueuePoint[] = [];

export class QueueBook {
  private readonly brokers = new Map<string, Broker>();
  private last: ServicesState | undefined;

  /** Takes in every queues service whose snapshot is new; idempotent (keyed on takenAt). */
  record(services: ServicesState): void {
    if (services === this.last) return;
    this.last = services;
    for (const s of Object.values(services)) {
      const snap = s.snapshot as QueueSnapshot | undefined;
      if (s.kind !== 'queues' || !snap) continue;
      const id = serviceId(s.kind, s.key);
      const seen = this.brokers.get(id);
      if (seen?.takenAt === snap.takenAt) continue;
      const derived = snap.queues.every(isDerived) ? { queues: snap.queues, history: seen?.history ?? new Map() } : deriveQueues(seen?.history ?? new Map(), snap);
      const series = seen?.series ?? new Map<string, QueuePoint[]>();
      for (const q of derived.queues) {
        const points = [...(series.get(q.name) ?? []), { at: snap.takenAt, depth: q.depth, inRate: q.inRate, outRate: q.outRate }];
        series.set(q.name, points.slice(-SERIES_LIMIT));
      }
      // Queues no longer watched (discovery dropped them) leave the book.
      for (const name of series.keys()) if (!derived.queues.some((q) => q.name === name)) series.delete(name);
      this.brokers.set(id, { takenAt: snap.takenAt, history: derived.history, queues: derived.queues, series });
    }
  }

  /** The broker's queues with rates, trend and depth history; undefined before its first snapshot. */
  queues(id: string): DerivedQueue[] | undefined {
    return this.brokers.get(id)?.queues;
  }

  /** The queue's points, oldest first; a new array after each recorded poll. */
  series(id: string, queue: string): readonly QueuePoint[] {
    return this.brokers.get(id)?.series.get(queue) ?? NO_POINTS;
  }
}
