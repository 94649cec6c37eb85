// Disks that stop answering while the host does are events: once when they
// time out (or turn unreadable), once when they answer again.
import { describe, expect, it } from 'vitest';
import type { DiskProbeProblem } from '../../src/probes/host-metrics.js';
import { createBatonStore } from '../../src/store/store.js';
import { inventoryOf, metrics } from './fixtures.js';

const timedOut: DiskProbeProblem = { kind: 'timed-out', message: 'df did not answer (killed on the host after 2 s)', since: 1000, failures: 1, retryAt: 22_000 };

describe('disk events', () => {
  it('records the disks timing out once, a change of problem, and their return', () => {
    const store = createBatonStore(inventoryOf(['web1']));
    const { applyUpdates } = store.getState();
    const at = (t: number, disksProblem: DiskProbeProblem | null) => applyUpdates([{ hostId: 'web1', kind: 'metrics', metrics: metrics({ disksProblem }), at: t }]);
    at(1000, null);
    at(2000, timedOut);
    at(3000, { ...timedOut, failures: 2, retryAt: 43_000 });
    at(4000, { ...timedOut, kind: 'failed', message: 'disk probe: output ended before @@baton:end (cut off)', retryAt: 14_000 });
    at(5000, null);
    expect(store.getState().events.map((e) => [e.message, e.severity])).toEqual([
      ['web1 disks answer again', 'info'],
      ['web1 disks unreadable: disk probe: output ended before @@baton:end (cut off); next try in 10 s', 'warn'],
      ['web1 disks timed out: df did not answer (killed on the host after 2 s); next try in 20 s', 'warn'],
    ]);
  });
});
