// Connections for a CLI action: the same inventory, keys, known_hosts and
// handshake cap as `--once` (openSession), but no polling: the hosts the
// action targets are connected once, their connection states written into
// the store, and the planner works from that. The monitor never starts.
import { createLockManager } from '../ops/engine/locks/create-lock-manager.js';
import type { LockManager } from '../ops/engine/locks/lock-types.js';
import type { LiveContext } from '../ops/engine/registry.js';
import { filterNeedsLiveState, selectHosts } from '../ops/select-hosts.js';
import type { HostUpdate } from '../store/types.js';
import { TransportError } from '../transport/types.js';
import type { GlobalOptions } from './options.js';
import { openSession, type Session } from './session.js';

export interface ActionSession {
  session: Session;
  live: LiveContext;
  close(): Promise<void>;
}

/** The one place the CLI picks its lock backend (etcd when the inventory has it, else lock files). */
export function lockManagerFor(session: Session): LockManager {
  return createLockManager(session.inventory, session.transports);
}

/** A host filter, or the exact hosts of a journaled plan (resume, rollback). */
export type ActionTargets = string | { hosts: readonly string[] };

/** Connects the hosts the target selects (every host when the filter reads live state) and records how it went. */
async function connectTargets(session: Session, target: ActionTargets): Promise<void> {
  const state = session.store.getState();
  const ids =
    typeof target !== 'string' ? target.hosts.filter((h) => session.transports.has(h)) : filterNeedsLiveState(target) ? state.order : selectHosts(state, target, Date.now());
  const updates: HostUpdate[] = await Promise.all(
    ids.map(async (hostId): Promise<HostUpdate> => {
      const t = session.transports.get(hostId)!;
      try {
        await t.connect();
        return { hostId, kind: 'conn', conn: 'up', at: Date.now(), fingerprint: t.hostKeyFingerprint };
      } catch (err) {
        const e = err as Error;
        return { hostId, kind: 'conn', conn: err instanceof TransportError ? err.state : 'unreachable', at: Date.now(), reason: e.message, hint: (err as TransportError).hint };
      }
    }),
  );
  state.applyUpdates(updates);
}

export async function openActionSession(options: GlobalOptions, target: ActionTargets): Promise<ActionSession> {
  const session = await openSession(options);
  try {
    await connectTargets(session, target);
  } catch (err) {
    await session.monitor.stop();
    throw err;
  }
  return {
    session,
    live: { state: session.store.getState(), inventory: session.inventory, transports: session.transports, now: Date.now },
    close: () => session.monitor.stop(),
  };
}
