// What every lock backend offers the engine: take a set of keys for one
// action run, all or none; say who holds a key when it is refused.
import { describeHolder, type LockHolder } from '../../../probes/lock-records.js';

export type { LockHolder } from '../../../probes/lock-records.js';

export interface HeldLock {
  backend: 'etcd' | 'dir';
  keys: readonly string[];
  /** etcd: the revision of the lock key's put, journaled as a fencing token. */
  token?: string;
  /** Releases every key; safe to call twice. */
  release(): Promise<void>;
  /** Called once if the lock is lost while held (lease expired, lock dir taken over). */
  onLost(listener: (reason: string) => void): void;
}

export interface LockManager {
  readonly backend: 'etcd' | 'dir';
  /** Takes every key or none; rejects with LockHeldError when one is held by someone else. */
  acquire(keys: readonly string[], holder: LockHolder): Promise<HeldLock>;
  /** Current holders of the given keys (absent keys are free). */
  holders(keys: readonly string[]): Promise<Map<string, LockHolder>>;
  /** Removes a lock whoever holds it; the caller asked for a typed confirmation and journals it. */
  breakLock(key: string): Promise<void>;
  /** The command that removes the lock and the host it runs on: the `lock.break` action's one step. */
  breakStep(key: string): { hostId: string; command: string };
}

export class LockHeldError extends Error {
  constructor(
    readonly key: string,
    readonly holder: LockHolder,
  ) {
    super(`${key} is held by ${describeHolder(holder)}`);
    this.name = 'LockHeldError';
  }
}
