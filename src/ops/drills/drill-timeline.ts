// The report's ASCII timeline: traffic success per time slice as a bar
// chart, the fault window (injection to restore) shaded, and the moments
// that matter marked under it. Pure; plain ASCII so it survives any
// terminal, pager or Markdown viewer.
import type { DrillFigures } from './drill-figures.js';
import type { DrillRun } from './drill-run.js';

const LEVELS = [100, 75, 50, 25, 0];

export function renderTimeline(run: DrillRun, figures: Pick<DrillFigures, 'detectionMs' | 'rtoMs'>, width = 60): string {
  const requests = run.requests;
  if (requests.length === 0) return '(no traffic recorded)';
  const t0 = Math.min(...requests.map((r) => r.startAt));
  const t1 = Math.max(...requests.map((r) => r.endAt), run.restoredAt ?? 0);
  const slice = Math.max(1, (t1 - t0) / width);
  const col = (t: number) => Math.min(width - 1, Math.max(0, Math.floor((t - t0) / slice)));
  const ok = new Array<number>(width).fill(0);
  const all = new Array<number>(width).fill(0);
  for (const r of requests) {
    const c = col(r.startAt);
    all[c]!++;
    if (r.outcome === 'ok') ok[c]!++;
  }
  const faultFrom = run.injectedAt === null ? Infinity : col(run.injectedAt);
  const faultTo = run.restoreAt === null ? faultFrom : col(run.restoreAt);
  const inFault = (c: number) => c >= faultFrom && c <= faultTo;
  const rows = LEVELS.map((level) => {
    const cells = Array.from({ length: width }, (_, c) => {
      if (all[c] === 0) return inFault(c) ? ':' : ' ';
      const pct = (ok[c]! / all[c]!) * 100;
      // A column is filled up to its success rate; level 0 marks any slice with traffic.
      return pct >= level && (level > 0 || pct > 0) ? '#' : inFault(c) ? ':' : ' ';
    }).join('');
    return `${String(level).padStart(4)}% |${cells}`;
  });
  const marks = new Array<string>(width).fill('-');
  const mark = (t: number | null, ch: string) => {
    if (t !== null && Number.isFinite(t)) marks[col(t)] = ch;
  };
  const injected = run.injectedAt;
  mark(run.restoreAt, 'R');
  mark(injected !== null && figures.rtoMs !== null ? injected + figures.rtoMs : null, 'B');
  mark(injected !== null && figures.detectionMs !== null ? injected + figures.detectionMs : null, 'D');
  mark(injected, 'I');
  const seconds = (t1 - t0) / 1000;
  const axis = `0 s${' '.repeat(Math.max(1, width - 3 - `${seconds.toFixed(1)} s`.length))}${seconds.toFixed(1)} s`;
  return [
    `traffic success, % of requests ok per ${(slice / 1000).toFixed(2)} s (':' = the fault window)`,
    ...rows,
    `      +${marks.join('')}`,
    `       ${axis}`,
    '       I injected  D detected  B traffic back (RTO)  R restore',
  ].join('\n');
}
