// asciicast v2 (docs.asciinema.org/manual/asciicast/v2): a JSON header line,
// then one JSON array per event: [seconds since start, code, data]. "o" is
// what the terminal received, "r" a resize to COLSxROWS (asciinema 2.2's
// player skips it; the web player and asciinema 3 apply it). JSON.stringify
// escapes every control character, so an event is always one line.

export interface CastHeader {
  width: number;
  height: number;
  /** Unix seconds at the start of the recording. */
  timestamp: number;
  title?: string;
  env?: Record<string, string>;
}

export type CastEventCode = 'o' | 'r';

export function castHeaderLine(header: CastHeader): string {
  const { width, height, timestamp, title, env } = header;
  return `${JSON.stringify({ version: 2, width, height, timestamp, ...(title === undefined ? {} : { title }), ...(env === undefined ? {} : { env }) })}\n`;
}

/** Microsecond precision, as asciinema writes it. */
export function castSeconds(ms: number): number {
  return Math.round(Math.max(0, ms) * 1000) / 1e6;
}

export function castEventLine(elapsedMs: number, code: CastEventCode, data: string): string {
  return `${JSON.stringify([castSeconds(elapsedMs), code, data])}\n`;
}

export function resizeData(columns: number, rows: number): string {
  return `${columns}x${rows}`;
}
