import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { BENCH_PARTS, parseBenchParts } from '../../src/cli/bench-command.js';

describe('bench --only', () => {
  it('takes a comma-separated list of parts', () => {
    expect(parseBenchParts('exec, journal')).toEqual(['exec', 'journal']);
    expect(BENCH_PARTS).toEqual(expect.arrayContaining(['fleet', 'exec', 'copy', 'journal', 'detection', 'failover', 'drills', 'console', 'deploy']));
  });

  it('refuses an unknown part or an empty list, naming the parts', () => {
    expect(() => parseBenchParts('exec,scp')).toThrow(InvalidArgumentError);
    expect(() => parseBenchParts('exec,scp')).toThrow(/among fleet, exec, copy, journal, detection, failover, drills, console/);
    expect(() => parseBenchParts(',')).toThrow(InvalidArgumentError);
  });
});
