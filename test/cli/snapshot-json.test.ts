import { describe, expect, it } from 'vitest';
import { buildSnapshot, snapshotExitCode } from '../../src/cli/snapshot-json.js';
import { createBatonStore } from '../../src/store/store.js';
import { inventoryOf, metrics } from '../store/fixtures.js';

describe('--once --json snapshot', () => {
  it('has the documented shape and exit codes', () => {
    const store = createBatonStore(inventoryOf(['web1', 'db1']), { now: () => 0 });
    store.getState().applyUpdates([
      { hostId: 'web1', kind: 'conn', conn: 'up', at: 1000 },
      { hostId: 'web1', kind: 'metrics', metrics: metrics(), at: 1000 },
      { hostId: 'db1', kind: 'conn', conn: 'auth-failed', at: 1000, reason: 'db1: authentication failed', hint: 'check the key' },
    ]);
    const snap = buildSnapshot(store.getState(), 2000);
    expect(snap.summary).toEqual({ hosts: 2, up: 1 });
    const [web1, db1] = snap.hosts;
    expect(web1).toMatchObject({ id: 'web1', state: 'up', error: null, updatedAt: '1970-01-01T00:00:01.000Z' });
    expect(Object.keys(web1!.metrics!)).toEqual(
      expect.arrayContaining(['load1', 'load5', 'load15', 'cpuPercent', 'memUsedPercent', 'diskUsedPercentMax', 'rxBytesPerSec', 'txBytesPerSec', 'uptimeSeconds']),
    );
    expect(db1).toMatchObject({ id: 'db1', state: 'auth-failed', error: 'db1: authentication failed', hint: 'check the key', metrics: null });
    expect(snapshotExitCode(snap)).toBe(2);
    store.getState().applyUpdates([{ hostId: 'db1', kind: 'conn', conn: 'up', at: 3000 }]);
    expect(snapshotExitCode(buildSnapshot(store.getState(), 3000))).toBe(0);
  });

  it('has a section per service kind with the answering host, data age and error', () => {
    const store = createBatonStore(inventoryOf(['lb1']), { services: [{ kind: 'haproxy', key: 'lb1', candidates: ['lb1'] }] });
    store.getState().applyServiceUpdates([{ kind: 'haproxy', key: 'lb1', type: 'snapshot', at: 1000, answeredBy: 'lb1', via: 'nc unix socket', snapshot: { backends: [] }, alerts: [] }], []);
    const snap = buildSnapshot(store.getState(), 3500);
    expect(snap.haproxy).toEqual([
      { key: 'lb1', candidates: ['lb1'], answeredBy: 'lb1', via: 'nc unix socket', updatedAt: '1970-01-01T00:00:01.000Z', ageSeconds: 2.5, error: null, alerts: [], data: { backends: [] } },
    ]);
    expect([snap.pacemaker, snap.etcd, snap.nginx, snap.brokers, snap.queues]).toEqual([[], [], [], [], []]);
  });
});

describe('--once --json brokers', () => {
  it('puts a broker the host could not reach in the service error, not only inside data', () => {
    const store = createBatonStore(inventoryOf(['mq1']), { services: [{ kind: 'queues', key: 'mq1', candidates: ['mq1'] }] });
    const refused = 'Could not connect to Redis at 127.0.43.2:6379: Connection refused';
    const data = { broker: 'redis', takenAt: 1000, serverTime: null, queues: [], discovery: null, error: refused, alerts: [] };
    store.getState().applyServiceUpdates([{ kind: 'queues', key: 'mq1', type: 'snapshot', at: 1000, answeredBy: 'mq1', snapshot: data, alerts: [] }], []);
    const [broker] = buildSnapshot(store.getState(), 2000).brokers;
    expect(broker).toMatchObject({ key: 'mq1', answeredBy: 'mq1', error: refused });
  });
});
