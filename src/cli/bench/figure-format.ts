// How bench figures are written: seconds, ratios, the verdict against a
// target, and a tool's failure beside its figure.
import type { ToolRun } from './external-tools.js';

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const ratio = (slow: number, fast: number) => `${(slow / fast).toFixed(1)}x`;
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
export const toolNote = (r: ToolRun) => (r.exitCode === 0 ? '' : ` [exit ${r.exitCode}: ${r.stderrTail.split('\n').pop()}]`);
