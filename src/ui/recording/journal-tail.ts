// Follows the actions journal folder while the console records: every record
// appended to a run's journal (ops/engine/journal.ts) after the start is
// handed on whole, with the run's id. Journals that existed before are
// followed from their end; a line still being written waits for its newline.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { JournalRecord } from '../../ops/engine/journal.js';

export type JournalLine = { actionId: string; record: JournalRecord } | { actionId: string; unreadable: string };

const JOURNAL_FILE = /^(.+)\.jsonl$/;

export class JournalTail {
  private readonly offsets = new Map<string, number>();
  /** Bytes after the last newline read: a record (or a UTF-8 sequence) cut by the write under way. */
  private readonly partial = new Map<string, Buffer>();
  private readonly watcher: FSWatcher;

  constructor(
    private readonly dir: string,
    private readonly onLine: (line: JournalLine) => void,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of this.journals()) this.offsets.set(name, statSync(join(dir, name)).size);
    this.watcher = watch(dir, (_event, name) => {
      if (name && JOURNAL_FILE.test(name)) this.read(name);
    });
  }

  /** Reads what is left in every journal (records appended just before), then stops. */
  close(): void {
    this.watcher.close();
    for (const name of this.journals()) this.read(name);
  }

  private journals(): string[] {
    try {
      return readdirSync(this.dir).filter((n) => JOURNAL_FILE.test(n));
    } catch {
      return [];
    }
  }

  private read(name: string): void {
    let fd: number;
    try {
      fd = openSync(join(this.dir, name), 'r');
    } catch {
      return; // removed meanwhile
    }
    try {
      const from = this.offsets.get(name) ?? 0;
      const size = fstatSync(fd).size;
      if (size <= from) return;
      const buf = Buffer.alloc(size - from);
      const got = readSync(fd, buf, 0, buf.length, from);
      this.offsets.set(name, from + got);
      const bytes = Buffer.concat([this.partial.get(name) ?? Buffer.alloc(0), buf.subarray(0, got)]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      this.partial.set(name, bytes.subarray(end));
      const actionId = JOURNAL_FILE.exec(name)![1]!;
      for (const line of bytes.subarray(0, end).toString('utf8').split('\n')) if (line.trim() !== '') this.onLine(parseLine(actionId, line));
    } finally {
      closeSync(fd);
    }
  }
}

function parseLine(actionId: string, line: string): JournalLine {
  try {
    return { actionId, record: JSON.parse(line) as JournalRecord };
  } catch {
    return { actionId, unreadable: line };
  }
}
