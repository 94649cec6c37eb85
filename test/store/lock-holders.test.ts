// The lock holders every pane marks: gathered from the etcd snapshots, the
// same map while no lock changes (the hosts table redraws only on a change).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEtcdProbe, type EtcdSnapshot } from '../../src/probes/etcd.js';
import { lockHolders } from '../../src/store/lock-holders.js';
import type { ServicesState, ServiceState } from '../../src/store/services.js';

function snapshot(name: string): EtcdSnapshot {
  const r = parseEtcdProbe(readFileSync(join(import.meta.dirname, '../fixtures/etcd', `${name}.txt`), 'utf8'));
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

const service = (kind: ServiceState['kind'], key: string, snap: unknown): ServiceState => ({ kind, key, candidates: [], snapshot: snap, alerts: [] });

describe('lockHolders', () => {
  const held = snapshot('locks-held');

  it('maps every etcd snapshot\'s lock keys to their holders, other services ignored', () => {
    const services: ServicesState = { 'etcd:etcd': service('etcd', 'etcd', held), 'haproxy:lb1': service('haproxy', 'lb1', { locks: [{ key: 'host:x' }] }), 'etcd:none': service('etcd', 'none', undefined) };
    const holders = lockHolders(services);
    expect([...holders.keys()]).toEqual(held.locks.map((l) => l.key));
    expect(holders.get('host:web1')?.user).toBe('ops');
  });

  it('shows the newer holder when two clusters hold one key', () => {
    const web1 = held.locks.find((l) => l.key === 'host:web1')!;
    const newer = { ...held, locks: [{ key: 'host:web1', holder: { ...web1.holder, user: 'later', since: web1.holder.since + 1 } }] };
    expect(lockHolders({ a: service('etcd', 'a', held), b: service('etcd', 'b', newer) }).get('host:web1')?.user).toBe('later');
    expect(lockHolders({ b: service('etcd', 'b', newer), a: service('etcd', 'a', held) }).get('host:web1')?.user).toBe('later');
  });

  it('hands back the same map while the locks are the same, a new one when they change', () => {
    const first = lockHolders({ e: service('etcd', 'etcd', held) });
    expect(lockHolders({ e: service('etcd', 'etcd', { ...held }) })).toBe(first);
    const released = lockHolders({ e: service('etcd', 'etcd', snapshot('locks-released')) });
    expect(released).not.toBe(first);
    expect([...released.keys()]).toEqual(['host:db1']);
  });
});
