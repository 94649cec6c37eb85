// Derived queues (rates, trends, sparklines) per broker, from the console's
// queue book: the pane and the queue detail read the same memory.
import { useMemo } from 'react';
import type { DerivedQueue } from '../../probes/queues/queue-trends.js';
import { serviceId, type ServiceState } from '../../store/services.js';
import { useBaton, useConsole } from '../context.js';

/** Derived queues per service id. */
export function useQueueHistory(services: readonly ServiceState[]): ReadonlyMap<string, DerivedQueue[]> {
  const { queueBook } = useConsole();
  const all = useBaton((s) => s.services);
  return useMemo(() => {
    // App records every store change too; recording here as well means this
    // render never reads the book one poll behind (idempotent per snapshot).
    queueBook.record(all);
    const out = new Map<string, DerivedQueue[]>();
    for (const s of services) {
      const id = serviceId(s.kind, s.key);
      const queues = queueBook.queues(id);
      if (queues) out.set(id, queues);
    }
    return out;
  }, [queueBook, all, services]);
}
