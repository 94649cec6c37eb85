// What the host probe's scripts and parsers share: the sh building blocks
// (read files with the `read` builtin, print marker lines) and the checked
// number and section helpers of its parsers.
import { MARK, ProbeError, RAW_LIMIT } from './probe-output.js';

const MARKER_LINE = /^@@baton:([a-z]+)$/;

export const PRINT = `printf '%s\\n' "$bt_l"`;

// printf, not echo: dash's echo would turn the \040 of /proc/mounts into a
// space. `|| [ -n ]` keeps a last line without its newline (os-release).
export function eachLine(file: string, body: string): string {
  return `while IFS= read -r bt_l || [ -n "$bt_l" ]; do ${body}; done < ${file}`;
}

export function section(name: string): string {
  return `printf '%s\\n' '${MARK}${name}'`;
}

export function fail(name: string, expected: string, lines: readonly string[]): ProbeError {
  return new ProbeError(`host probe: section ${MARK}${name}: expected ${expected}`, lines.join('\n').slice(0, RAW_LIMIT));
}

export const UINT = /^\d+$/;
export const DECIMAL = /^\d+(?:\.\d+)?$/;
export const INT = /^-?\d+$/;

// Kernel counters are unsigned 64-bit; anything larger is garbage, and the
// bound keeps every product and sum below finite.
const COUNTER_MAX = 2 ** 64;

/** A number matching `pattern` within counter range, or undefined. */
export function toNumber(text: string | undefined, pattern: RegExp): number | undefined {
  if (text === undefined || !pattern.test(text)) return undefined;
  const value = Number(text);
  return Math.abs(value) <= COUNTER_MAX ? value : undefined;
}

export function clampPercent(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, value));
}

export function splitSections(output: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const rawLine of output.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    // Whole-line match only: a tmpfs can be mounted with any device name.
    const name = MARKER_LINE.exec(line)?.[1];
    if (name !== undefined) {
      if (sections.has(name)) throw new ProbeError(`host probe: section ${MARK}${name} appears twice`, output.slice(0, RAW_LIMIT));
      current = [];
      sections.set(name, current);
    } else if (current !== undefined && line.trim() !== '') {
      current.push(line);
    }
  }
  return sections;
}

/** The lines of a section that must be there. */
export function needSection(sections: ReadonlyMap<string, string[]>, name: string, output: string): string[] {
  const lines = sections.get(name);
  if (lines === undefined) throw new ProbeError(`host probe: section ${MARK}${name} is missing`, output.slice(0, RAW_LIMIT));
  return lines;
}
