import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineCpuSeconds } from '../../../src/cli/bench/cpu-accounting.js';

describe('machineCpuSeconds', () => {
  it('counts this process\'s own work as busy, and every core\'s time in the total', () => {
    const before = machineCpuSeconds();
    const own0 = process.cpuUsage();
    const wall0 = performance.now();
    while (performance.now() - wall0 < 300) Math.sqrt(Math.random());
    const own = process.cpuUsage(own0);
    const wallS = (performance.now() - wall0) / 1000;
    const after = machineCpuSeconds();
    const busy = after.busyS - before.busyS;
    const total = busy + after.idleS - before.idleS;
    // /proc/stat counts in clock ticks (10 ms): allow a few either side.
    expect(busy).toBeGreaterThanOrEqual((own.user + own.system) / 1e6 - 0.05);
    expect(total).toBeGreaterThan(wallS * availableParallelism() * 0.5);
    expect(total).toBeLessThan(wallS * availableParallelism() * 1.5 + 0.05);
  });
});
