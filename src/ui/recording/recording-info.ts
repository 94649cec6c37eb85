// What `baton record ls` tells about a recording, read without loading it
// whole: the cast's header (first line) and its last event (the file's
// tail), and how many lines the events file holds. A file cut short by a
// killed console still reads: its last complete line counts.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { eventsPathFor } from './recordings-dir.js';

export interface RecordingInfo {
  name: string;
  path: string;
  /** Unix ms from the header; null when the header does not read as asciicast v2. */
  startedAt: number | null;
  width: number | null;
  height: number | null;
  /** Time of the last event, in seconds. */
  durationSeconds: number;
  bytes: number;
  /** Events and journal records in FILE.events.jsonl; null without one. */
  events: number | null;
  problem?: string;
}

const TAIL_BYTES = 64 * 1024;

function readRange(path: string, from: number, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const got = readSync(fd, buf, 0, length, from);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function fileSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

function lastEventSeconds(path: string, size: number): number {
  const from = Math.max(0, size - TAIL_BYTES);
  const lines = readRange(path, from, size - from).split('\n');
  for (let i = lines.length - 1; i >= (from === 0 ? 1 : 0); i--) {
    try {
      const event = JSON.parse(lines[i]!) as unknown;
      if (Array.isArray(event) && typeof event[0] === 'number') return event[0];
    } catch {
      // a line cut at the start of the tail, or by a kill
    }
  }
  return 0;
}

function countLines(path: string): number | null {
  try {
    statSync(path);
  } catch {
    return null;
  }
  const size = fileSize(path);
  let lines = 0;
  for (let from = 0; from < size; from += TAIL_BYTES) {
    const text = readRange(path, from, Math.min(TAIL_BYTES, size - from));
    for (const c of text) if (c === '\n') lines++;
  }
  return lines;
}

export function recordingInfo(path: string): RecordingInfo {
  const bytes = fileSize(path);
  const firstLine = readRange(path, 0, Math.min(bytes, 4096)).split('\n')[0] ?? '';
  const base = { name: basename(path), path, bytes, durationSeconds: lastEventSeconds(path, bytes) };
  // The start line is not an event.
  const eventLines = countLines(eventsPathFor(path));
  const events = eventLines === null ? null : Math.max(0, eventLines - 1);
  try {
    const header = JSON.parse(firstLine) as { version?: unknown; width?: unknown; height?: unknown; timestamp?: unknown };
    if (header.version !== 2) throw new Error(`version ${String(header.version)}`);
    return {
      ...base,
      startedAt: typeof header.timestamp === 'number' ? header.timestamp * 1000 : null,
      width: typeof header.width === 'number' ? header.width : null,
      height: typeof header.height === 'number' ? header.height : null,
      events,
    };
  } catch (err) {
    return { ...base, startedAt: null, width: null, height: null, events, problem: `not an asciicast v2 file (${(err as Error).message})` };
  }
}
