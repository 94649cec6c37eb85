import { describe, expect, it } from 'vitest';
import { SYNC_HEADER, syncFigureLine } from '../../src/cli/bench/sync-bench-figures.js';

const figure = { figure: 'drift report, warm (console)', batonMs: 500, batonBytes: 26 * 1024, tool: 'prsync --dry-run', toolMs: 3000, toolBytes: 12 * 1024 };

describe('sync bench figures', () => {
  it('a speed-up target: PASS at or above it, MISS below; times, bytes and the ratio in the header\'s columns', () => {
    const line = syncFigureLine({ ...figure, atLeast: 5 });
    expect(line).toMatch(/^drift report, warm \(console\)\s+0\.50 s\s+26K\s+prsync --dry-run\s+3\.00 s\s+12K\s+6\.0x\s+>= 5x PASS$/);
    expect(line.indexOf('0.50 s')).toBe(SYNC_HEADER.indexOf('baton'));
    expect(line.indexOf('6.0x')).toBe(SYNC_HEADER.indexOf('ratio'));
    expect(syncFigureLine({ ...figure, atLeast: 5, toolMs: 2000 })).toMatch(/4\.0x\s+>= 5x MISS$/);
  });

  it('"no slower" when the target is 1x, none when absent, and a failed tool run named', () => {
    expect(syncFigureLine({ ...figure, atLeast: 1, batonMs: 3000 })).toMatch(/no slower PASS$/);
    expect(syncFigureLine({ ...figure, atLeast: 1, batonMs: 3001 })).toMatch(/no slower MISS$/);
    expect(syncFigureLine({ ...figure, toolNote: ' [exit 1: rsync missing]' })).toMatch(/\(no target\) \[exit 1: rsync missing\]$/);
  });
});
