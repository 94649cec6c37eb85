// Rates, trends and sparklines need a history of queue snapshots. When the
// monitor stores plain snapshots, the pane keeps a small one per broker
// itself; snapshots that already carry derived queues are used as they are.
import { useMemo, useRef } from 'react';
import { deriveQueues, type DerivedQueue, type QueueHistory } from '../../probes/queues/queue-trends.js';
import type { QueueSnapshot } from '../../probes/queues/queue-types.js';
import { serviceId, type ServiceState } from '../../store/services.js';

interface Memory {
  takenAt: number;
  history: QueueHistory;
  queues: DerivedQueue[];
}

const isDerived = (q: object): q is DerivedQueue => Array.isArray((q as Partial<DerivedQueue>).depthHistory);

/** Derived queues per service id. */
export function useQueueHistory(services: readonly ServiceState[]): ReadonlyMap<string, DerivedQueue[]> {
  const memory = useRef(new Map<string, Memory>());
  return useMemo(() => {
    const out = new Map<string, DerivedQueue[]>();
    for (const s of services) {
      const snap = s.snapshot as QueueSnapshot | undefined;
      if (!snap) continue;
      const id = serviceId(s.kind, s.key);
      if (snap.queues.every(isDerived)) {
        out.set(id, snap.queues);
        continue;
      }
      // Keyed on takenAt, so a re-render (or StrictMode's double call) never adds a sample twice.
      const seen = memory.current.get(id);
      if (seen?.takenAt === snap.takenAt) {
        out.set(id, seen.queues);
        continue;
      }
      const { queues, history } = deriveQueues(seen?.history ?? new Map(), snap);
      memory.current.set(id, { takenAt: snap.takenAt, history, queues });
      out.set(id, queues);
    }
    return out;
  }, [services]);
}
