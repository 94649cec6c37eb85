// The disk schedule of one host: timeouts double the wait up to the cap, an
// answer resets it, bad output is a problem without backoff. The transport
// is scripted; the disk output is the real probe's, run on this machine.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DISK_LANE, DiskWatch } from '../../src/monitor/disk-watch.js';
import { createRemoteHostSampler } from '../../src/monitor/host-sampler.js';
import { HOST_PROBE_LIGHT_COMMAND } from '../../src/probes/host.js';
import { HOST_DISK_PROBE_COMMAND } from '../../src/probes/host-disks.js';
import { MAIN_LANE, type CommandResult, type RunOptions, type Transport } from '../../src/transport/types.js';

const realOutput = execFileSync('/bin/sh', ['-c', HOST_DISK_PROBE_COMMAND]).toString();
const answered = (stdout: string): CommandResult => ({ stdout, stderr: '', code: 0, timedOut: false, durationMs: 5 });
const timedOut: CommandResult = { stdout: '', stderr: '', code: null, signal: 'KILL', timedOut: true, durationMs: 2000 };

function scripted(results: CommandResult[]): Transport & { lanes: (string | undefined)[]; timeouts: (number | undefined)[] } {
  const lanes: (string | undefined)[] = [];
  const timeouts: (number | undefined)[] = [];
  const run = (_command: string, options: RunOptions = {}) => {
    lanes.push(options.lane);
    timeouts.push(options.timeoutMs);
    const next = results.shift();
    return next ? Promise.resolve(next) : Promise.reject(new Error('no more scripted results'));
  };
  return { hostId: 'h1', state: 'up', lanes, timeouts, run } as unknown as Transport & { lanes: (string | undefined)[]; timeouts: (number | undefined)[] };
}

describe('DiskWatch', () => {
  it('doubles the wait after each timeout up to the cap, and an answer resets it', async () => {
    let now = 0;
    const watch = new DiskWatch({ everyMs: 10_000, maxEveryMs: 60_000, now: () => now });
    const transport = scripted([timedOut, timedOut, timedOut, timedOut, answered(realOutput), answered('not the disk probe'), timedOut]);
    const retries: number[] = [];
    for (const at of [0, 10_000, 20_000, 60_000, 120_000]) {
      now = at;
      await watch.poll(transport);
      const { disks, disksProblem } = watch.take();
      expect(disks).toBeUndefined();
      retries.push(disksProblem!.retryAt - at);
    }
    // 10 s into the first 20 s wait nothing ran: the second entry is what was left of it.
    expect(retries).toEqual([20_000, 10_000, 40_000, 60_000, 60_000]);
    expect(watch.take().disksProblem).toMatchObject({ kind: 'timed-out', failures: 4, since: 0, message: 'df did not answer (killed on the host after 2 s)' });

    now = 180_000;
    await watch.poll(transport);
    const after = watch.take();
    expect(after.disksProblem).toBeUndefined();
    expect(after.disks!.length).toBeGreaterThan(0);
    expect(watch.take().disks).toBeUndefined(); // new figures once; the last ones stand after

    now = 190_000;
    await watch.poll(transport);
    expect(watch.take().disksProblem).toMatchObject({ kind: 'failed', failures: 1, since: 190_000, retryAt: 200_000, raw: 'not the disk probe' });

    now = 200_000;
    await watch.poll(transport);
    expect(watch.take().disksProblem).toMatchObject({ kind: 'timed-out', failures: 2, since: 190_000, retryAt: 220_000 });
    expect(new Set(transport.lanes)).toEqual(new Set([DISK_LANE]));
  });

  it('runs one disk probe at a time and leaves link failures to the host state', async () => {
    let now = 0;
    const watch = new DiskWatch({ everyMs: 10_000, maxEveryMs: 60_000, now: () => now });
    const transport = scripted([]);
    const first = watch.poll(transport);
    expect(watch.poll(transport)).toBe(first);
    await first;
    expect(watch.take()).toEqual({ disks: undefined });
    now = 10_000;
    expect(watch.poll(transport)).toBeDefined();
  });

  it('runs df on the lane and with the timeout it is given (a one-shot run: the main shell, bounded)', async () => {
    const transport = scripted([answered(realOutput), answered(realOutput)]);
    await new DiskWatch({ everyMs: 0, maxEveryMs: 0, now: () => 0, lane: MAIN_LANE, timeoutMs: 2000 }).poll(transport);
    await new DiskWatch({ everyMs: 0, maxEveryMs: 0, now: () => 0 }).poll(transport);
    expect(transport.lanes).toEqual([MAIN_LANE, DISK_LANE]);
    expect(transport.timeouts).toEqual([2000, undefined]);
  });
});

describe('createRemoteHostSampler', () => {
  it('reads the disks in the main shell, bounded, when the run is one-shot', async () => {
    const probe = execFileSync('/bin/sh', ['-c', HOST_PROBE_LIGHT_COMMAND]).toString();
    const lanes: (string | undefined)[] = [];
    const transport = {
      hostId: 'h1',
      state: 'up',
      run: (command: string, options: RunOptions = {}) => {
        lanes.push(options.lane ?? MAIN_LANE);
        return Promise.resolve(answered(command === HOST_DISK_PROBE_COMMAND ? realOutput : probe));
      },
    } as unknown as Transport;
    const oneShot = createRemoteHostSampler({ oneShotDiskTimeoutMs: 2000 });
    await oneShot(transport, Date.now());
    await oneShot.settled?.();
    const watching = createRemoteHostSampler();
    await watching(transport, Date.now());
    await watching.settled?.();
    expect(lanes).toEqual([MAIN_LANE, MAIN_LANE, MAIN_LANE, DISK_LANE]);
  });
});
