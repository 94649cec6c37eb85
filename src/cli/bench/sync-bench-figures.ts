// How the sync bench's figures print: per figure baton's time, the tool's,
// the ratio and the verdict against the target, and the bytes that crossed
// the wire to one (proxied) host. Pure.
import { formatBytes } from '../../ui/format.js';
import { ratio, seconds, verdict } from './figure-format.js';

export interface SyncFigure {
  figure: string;
  batonMs: number;
  /** What baton sent to and received from the proxied host. */
  batonBytes: number;
  tool: string;
  toolMs: number;
  toolBytes: number;
  /** baton must be at least this many times faster (1: no slower); undefined: no target. */
  atLeast?: number;
  /** Why the tool's figure does not count (a failed run), if so. */
  toolNote?: string;
}

const row = (cells: string[]) => cells.map((c, i) => c.padEnd([34, 11, 12, 26, 11, 12, 8][i] ?? 0)).join('').trimEnd();

export const SYNC_HEADER = row(['figure', 'baton', 'bytes/host', 'vs', 'tool', 'bytes/host', 'ratio', 'target']);

export function syncFigureLine(f: SyncFigure): string {
  const target = f.atLeast === undefined ? '(no target)' : f.atLeast === 1 ? `no slower ${verdict(f.batonMs <= f.toolMs)}` : `>= ${f.atLeast}x ${verdict(f.toolMs / f.batonMs >= f.atLeast)}`;
  return row([f.figure, seconds(f.batonMs), formatBytes(f.batonBytes), f.tool, seconds(f.toolMs), formatBytes(f.toolBytes), ratio(f.toolMs, f.batonMs), `${target}${f.toolNote ?? ''}`]);
}
