import { describe, expect, it } from 'vitest';
import { createBatonStore, HISTORY_POINTS, MAX_EVENTS } from '../../src/store/store.js';
import { hostList, isStale, newestUpdate, upCount } from '../../src/store/selectors.js';
import { inventoryOf, metrics } from './fixtures.js';

describe('baton store', () => {
  it('starts every host as connecting, in inventory order', () => {
    const store = createBatonStore(inventoryOf(['b', 'a']), { now: () => 5 });
    const s = store.getState();
    expect(hostList(s).map((h) => [h.spec.id, h.conn, h.stateSince])).toEqual([
      ['b', 'connecting', 5],
      ['a', 'connecting', 5],
    ]);
    expect(upCount(s, 5, 2000)).toBe(0);
    expect(newestUpdate(s)).toBeUndefined();
  });

  it('records state changes as events, newest first, once per change', () => {
    const store = createBatonStore(inventoryOf(['web1']));
    const { applyUpdates } = store.getState();
    applyUpdates([{ hostId: 'web1', kind: 'conn', conn: 'up', at: 10, fingerprint: 'SHA256:x' }]);
    applyUpdates([{ hostId: 'web1', kind: 'conn', conn: 'up', at: 11 }]);
    applyUpdates([{ hostId: 'web1', kind: 'conn', conn: 'unreachable', at: 12, reason: 'connection refused', hint: 'is sshd running?' }]);
    const s = store.getState();
    expect(s.events.map((e) => [e.message, e.severity])).toEqual([
      ['web1 up -> unreachable: connection refused', 'crit'],
      ['web1 connecting -> up', 'info'],
    ]);
    expect(s.hosts.web1?.lastError).toEqual({ message: 'connection refused', hint: 'is sshd running?', at: 12 });
    expect(s.hosts.web1?.hostKeyFingerprint).toBe('SHA256:x');
    expect(s.hosts.web1?.stateSince).toBe(12);
  });

  it('keeps metrics history bounded', () => {
    const store = createBatonStore(inventoryOf(['h']));
    for (let i = 0; i < HISTORY_POINTS + 25; i++) {
      store.getState().applyUpdates([{ hostId: 'h', kind: 'metrics', metrics: metrics({ load1: i }), at: i }]);
    }
    const h = store.getState().hosts.h!;
    expect(h.history.items).toHaveLength(HISTORY_POINTS);
    expect(h.history.items[0]?.load1).toBe(25);
    expect(h.updatedAt).toBe(HISTORY_POINTS + 24);
    expect(newestUpdate(store.getState())).toBe(HISTORY_POINTS + 24);
  });

  it('keeps at most MAX_EVENTS events and ignores unknown hosts', () => {
    const store = createBatonStore(inventoryOf(['h']));
    for (let i = 0; i < MAX_EVENTS + 10; i++) store.getState().addEvent({ at: i, source: 'test', severity: 'info', message: `e${i}` });
    store.getState().applyUpdates([{ hostId: 'nope', kind: 'conn', conn: 'up', at: 1 }]);
    const { events } = store.getState();
    expect(events).toHaveLength(MAX_EVENTS);
    expect(events[0]?.message).toBe(`e${MAX_EVENTS + 9}`);
  });

  it('marks data stale after three intervals', () => {
    const store = createBatonStore(inventoryOf(['h']));
    store.getState().applyUpdates([{ hostId: 'h', kind: 'metrics', metrics: metrics(), at: 1000 }]);
    const h = store.getState().hosts.h!;
    expect(isStale(h, 1000 + 3 * 2000, 2000)).toBe(false);
    expect(isStale(h, 1001 + 3 * 2000, 2000)).toBe(true);
  });
});

describe('service state', () => {
  it('keeps each planned service with its snapshot, error and alerts, and records probe events', () => {
    const store = createBatonStore(inventoryOf(['lb1']), { services: [{ kind: 'haproxy', key: 'lb1', candidates: ['lb1'] }] });
    const { applyServiceUpdates } = store.getState();
    expect(store.getState().services['haproxy:lb1']).toEqual({ kind: 'haproxy', key: 'lb1', candidates: ['lb1'], alerts: [] });
    applyServiceUpdates(
      [{ kind: 'haproxy', key: 'lb1', type: 'snapshot', at: 5, answeredBy: 'lb1', via: 'socat unix socket', snapshot: { x: 1 }, alerts: [{ severity: 'crit', message: 'web/web1 is DOWN' }] }],
      [{ at: 5, hostId: 'lb1', source: 'haproxy', severity: 'crit', message: 'lb1: web/web1 went DOWN' }],
    );
    applyServiceUpdates([{ kind: 'haproxy', key: 'lb1', type: 'error', at: 6, message: 'lb1: no way to reach the stats', raw: 'x' }], []);
    const s = store.getState();
    expect(s.services['haproxy:lb1']).toMatchObject({ answeredBy: 'lb1', via: 'socat unix socket', snapshot: { x: 1 }, updatedAt: 5, error: { message: 'lb1: no way to reach the stats', raw: 'x', at: 6 } });
    expect(s.events[0]).toMatchObject({ source: 'haproxy', message: 'lb1: web/web1 went DOWN' });
    applyServiceUpdates([{ kind: 'etcd', key: 'unplanned', type: 'error', at: 7, message: 'ignored' }], []);
    expect(Object.keys(store.getState().services)).toEqual(['haproxy:lb1']);
  });
});
