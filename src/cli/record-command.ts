// `baton record ls`: the recordings `--record NAME` left in the state dir
// (${XDG_STATE_HOME:-~/.local/state}/baton/recordings), newest first.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CAST_EXTENSION, recordingsDir } from '../ui/recording/recordings-dir.js';
import { recordingInfo, type RecordingInfo } from '../ui/recording/recording-info.js';
import { textTable } from './text-table.js';

export function listRecordings(dir = recordingsDir()): RecordingInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(CAST_EXTENSION));
  } catch {
    return [];
  }
  return names.map((n) => recordingInfo(join(dir, n))).sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0) || a.name.localeCompare(b.name));
}

function minutesSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function registerRecord(program: Command, setCode: (code: number) => void): void {
  const record = program.command('record').description('console recordings made with --record (asciicast v2, play with asciinema play FILE)');
  record
    .command('ls')
    .description('list the recordings in ${XDG_STATE_HOME:-~/.local/state}/baton/recordings (newest first)')
    .option('--json', 'machine-readable output', false)
    .action((_opts, cmd: Command) => {
      // The top-level --json may take the flag first: read both.
      const opts = cmd.optsWithGlobals<{ json: boolean }>();
      const dir = recordingsDir();
      const found = listRecordings(dir);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ dir, recordings: found }, null, 2)}\n`);
      } else if (found.length === 0) {
        process.stdout.write(`no recordings in ${dir} (baton --record NAME makes one)\n`);
      } else {
        const rows = found.map((r) => [
          r.name,
          r.startedAt === null ? '-' : new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19),
          minutesSeconds(r.durationSeconds),
          r.width === null ? '-' : `${r.width}x${r.height}`,
          String(r.bytes),
          r.events === null ? '-' : String(r.events),
          r.problem ?? '',
        ]);
        process.stdout.write(`${dir}\n${textTable(['NAME', 'STARTED (UTC)', 'LENGTH', 'SIZE', 'BYTES', 'EVENTS', 'NOTE'], rows)}`);
      }
      setCode(0);
    });
}
