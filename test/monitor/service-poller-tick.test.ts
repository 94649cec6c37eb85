// A service poller that started (or last answered) off the common clock
// polls on its next tick, and a probe's longer interval is a whole number of
// ticks, with a real local shell answering.
import { afterEach, describe, expect, test } from 'vitest';
import { ServicePoller } from '../../src/monitor/service-poller.js';
import type { ServiceProbe } from '../../src/monitor/service-probe.js';
import { WakeableSleep } from '../../src/monitor/wakeable-sleep.js';
import { LocalTransport } from '../../src/transport/local.js';
import { waitFor } from '../helpers/wait-for.js';

// Wide enough that a timer firing late on a loaded CI machine (a tick
// answered up to a third of an interval late) is not a wrong schedule.
const INTERVAL = 600;
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function pollTimes(minIntervalMs: number | undefined, epochMs: number, count: number): Promise<number[]> {
  const transport = new LocalTransport('local');
  await transport.connect();
  const times: number[] = [];
  const probe: ServiceProbe<string> = {
    kind: 'haproxy',
    key: 'lb',
    candidates: ['local'],
    command: () => 'echo ok',
    ...(minIntervalMs ? { minIntervalMs } : {}),
    parse: (output) => ({ kind: 'snapshot', snapshot: output }),
    alerts: () => [],
    events: () => [],
  };
  const poller = new ServicePoller(probe, {
    intervalMs: INTERVAL,
    epochMs,
    sleeper: new WakeableSleep(),
    transports: new Map([['local', transport]]),
    now: Date.now,
    emit: (u) => times.push(u.at),
  });
  const loop = poller.run();
  stop = async () => {
    poller.stop();
    await transport.close();
    await loop;
  };
  await waitFor(() => times.length >= count, 10 * INTERVAL * count, `${count} polls`);
  return times.slice(0, count);
}

/** How far each moment is from the nearest tick (a timer may fire a millisecond early). */
const phases = (times: number[], epoch: number, every: number) =>
  times.map((t) => {
    const p = (t - epoch) % every;
    return Math.min(p, every - p);
  });

describe('service poller on the common clock', () => {
  test('a poller started 40 % into an interval polls on the ticks after its first poll', async () => {
    const epoch = Date.now() - 0.4 * INTERVAL;
    const times = await pollTimes(undefined, epoch, 4);
    expect(phases(times.slice(1), epoch, INTERVAL).every((p) => p < INTERVAL / 3)).toBe(true);
  });

  test('a probe that polls at most every 1000 ms polls on every second tick (1200 ms)', async () => {
    const epoch = Date.now() - 0.4 * INTERVAL;
    const times = await pollTimes(1000, epoch, 3);
    expect(phases(times.slice(1), epoch, 2 * INTERVAL).every((p) => p < INTERVAL / 3)).toBe(true);
    expect(times[2]! - times[1]!).toBeGreaterThan(1.5 * INTERVAL);
  });
});
