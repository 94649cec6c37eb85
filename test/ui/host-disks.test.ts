// Disks that stop answering (df timed out, or its output did not parse): the
// hosts table and the host detail say so instead of showing stale figures as fresh.
import { describe, expect, it } from 'vitest';
import type { DiskProbeProblem } from '../../src/probes/host-metrics.js';
import type { HostState } from '../../src/store/types.js';
import { hostColumns } from '../../src/ui/panes/host-columns.js';
import { hostDetailLines } from '../../src/ui/panes/host-detail-lines.js';
import { DEFAULT_THRESHOLDS } from '../../src/ui/thresholds.js';
import { fleetStore, INTERVAL } from './fixtures.js';

const store = fleetStore();
const base = store.getState().hosts.web01!;
const ctx = { now: base.updatedAt!, intervalMs: INTERVAL, thresholds: DEFAULT_THRESHOLDS, width: 200 };
const problem: DiskProbeProblem = { kind: 'timed-out', message: 'df did not answer (killed on the host after 30 s)', since: ctx.now - 60_000, failures: 3, retryAt: ctx.now + 80_000 };
const withProblem = (p: DiskProbeProblem | null): HostState => ({ ...base, metrics: { ...base.metrics!, disksProblem: p } });
const disksLine = (h: HostState) => hostDetailLines(h, ctx).find((l) => l.label === 'disks')!.parts;

describe('disks that do not answer', () => {
  it('show t/o or err in the DISK column, the figure otherwise', () => {
    const disk = hostColumns(10).disk;
    expect(disk.cell(withProblem(null), ctx).text).toBe('40%');
    expect(disk.cell(withProblem(problem), ctx)).toEqual({ text: 't/o', token: 'warn' });
    expect(disk.cell(withProblem({ ...problem, kind: 'failed' }), ctx)).toEqual({ text: 'err', token: 'warn' });
  });

  it('say in the detail since when, how often and when next, with the last figures muted', () => {
    const parts = disksLine(withProblem(problem));
    expect(parts.map((p) => p.text).join('')).toMatch(
      /^timed out since \d\d:\d\d:\d\d, 3 tries, next try \d\d:\d\d:\d\d: df did not answer \(killed on the host after 30 s\) · last: \/ 40% of 50G$/,
    );
    expect(parts[0]).toEqual({ text: 'timed out', token: 'warn' });
    expect(parts.slice(1).every((p) => p.token === 'muted')).toBe(true);
    expect(disksLine(withProblem(null)).map((p) => p.text).join('')).toBe('/ 40% of 50G');
  });
});
