// Monitor.snapshot (`baton --once`): each host samples twice on a pipeline
// of its own, and a service starts once its own candidate hosts have had
// their first sample, whatever the other hosts are doing. Real local shells
// answer; the slow host's first sample is held back by its sampler.
import { afterEach, describe, expect, it } from 'vitest';
import type { HostSampler } from '../../src/monitor/host-sampler.js';
import { Monitor } from '../../src/monitor/monitor.js';
import type { ServiceProbe } from '../../src/monitor/service-probe.js';
import { createBatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import { inventory, spec } from '../ui/fixtures.js';

const SLOW_FIRST_MS = 1500;
const GAP_MS = 100;
let transports: LocalTransport[] = [];
afterEach(async () => {
  await Promise.all(transports.map((t) => t.close()));
});

describe('Monitor.snapshot', () => {
  it('does not hold a host or its services up for another host', async () => {
    transports = ['fast', 'slow'].map((id) => new LocalTransport(id));
    const samples: Record<string, number[]> = { fast: [], slow: [] };
    const servicePolls: Record<string, number[]> = { 'on-fast': [], 'on-slow': [] };
    const sampler: HostSampler = async (transport, takenAt) => {
      const id = transport.hostId;
      if (id === 'slow' && samples.slow!.length === 0) await new Promise((r) => setTimeout(r, SLOW_FIRST_MS));
      samples[id]!.push(Date.now());
      return { kind: 'unsupported', system: `test ${takenAt}` };
    };
    const service = (key: string, host: string): ServiceProbe<string> => ({
      kind: 'haproxy',
      key,
      candidates: [host],
      command: () => {
        servicePolls[key]!.push(Date.now());
        return 'echo ok';
      },
      parse: (output) => ({ kind: 'snapshot', snapshot: output }),
      alerts: () => [],
      events: () => [],
    });
    const monitor = new Monitor({
      store: createBatonStore(inventory([spec('fast', []), spec('slow', [])])),
      transports,
      samplerFor: () => sampler,
      services: [service('on-fast', 'fast'), service('on-slow', 'slow')],
      intervalMs: 1000,
    });
    await monitor.snapshot(GAP_MS);

    expect(samples.fast).toHaveLength(2);
    expect(samples.slow).toHaveLength(2);
    expect(servicePolls['on-fast']).toHaveLength(2);
    expect(servicePolls['on-slow']).toHaveLength(2);
    const slowFirst = samples.slow![0]!;
    // The fast host and its service are done before the slow host's first sample.
    expect(samples.fast![1]!).toBeLessThan(slowFirst);
    expect(servicePolls['on-fast']![1]!).toBeLessThan(slowFirst);
    // A service waits for its own host's first sample, and its two polls are a gap apart.
    expect(servicePolls['on-slow']![0]!).toBeGreaterThanOrEqual(slowFirst);
    expect(servicePolls['on-slow']![1]! - servicePolls['on-slow']![0]!).toBeGreaterThanOrEqual(GAP_MS - 5);
    expect(samples.slow![1]! - slowFirst).toBeGreaterThanOrEqual(GAP_MS - 5);
  });
});
