// The disk schedule of one host: timeouts double the wait up to the cap, an
// answer resets it, bad output is a problem without backoff. The transport
// is scripted; the disk output is the real probe's, run on this machine.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DISK_LANE, DiskWatch } from '../../src/monitor/disk-watch.js';
import { HOST_DISK_PROBE_COMMAND } from '../../src/probes/host-disks.js';
import type { CommandResult, RunOptions, Transport } from '../../src/transport/types.js';

const realOutput = execFileSync('/bin/sh', ['-c', HOST_DISK_PROBE_COMMAND]).toString();
const answered = (stdout: string): CommandResult => ({ stdout, stderr: '', code: 0, timedOut: false, durationMs: 5 });
const timedOut: CommandResult = { stdout: '', stderr: '', code: null, signal: 'KILL', timedOut: true, durationMs: 2000 };

function scripted(results: CommandResult[]): Transport & { lanes: (string | undefined)[] } {
  const lanes: (string | undefined)[] = [];
  const run = (_command: string, options: RunOptions = {}) => {
    lanes.push(options.lane);
    const next = results.shift();
    return next ? Promise.resolve(next) : Promise.reject(new Error('no more scripted results'));
  };
  return { hostId: 'h1', state: 'up', lanes, run } as unknown as Transport & { lanes: (string | undefined)[] };
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
});
