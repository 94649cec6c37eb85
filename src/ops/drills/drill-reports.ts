// Where drill reports live: ${XDG_STATE_HOME:-~/.local/state}/baton/drills/
// <id>.json (figures and the raw run) and <id>.md, beside the journal.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DrillReportFile } from './drill-report.js';

export function drillReportDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'baton', 'drills');
}

export function writeReport(dir: string, report: DrillReportFile, markdown: string): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = { json: join(dir, `${report.run.id}.json`), markdown: join(dir, `${report.run.id}.md`) };
  writeFileSync(paths.json, JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
  writeFileSync(paths.markdown, markdown, { mode: 0o600 });
  return paths;
}

/** Report ids, oldest first (ids sort by time). */
export function reportIds(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** The report whose id starts with `prefix`; an error when none or several do. */
export function findReport(dir: string, prefix: string): { id: string; report: DrillReportFile; markdown: string } | { error: string } {
  const ids = reportIds(dir).filter((id) => id.startsWith(prefix));
  if (ids.length === 0) return { error: `no drill report ${prefix} in ${dir}` };
  if (ids.length > 1) return { error: `${prefix} is ambiguous: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}` };
  const id = ids[0]!;
  try {
    const report = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as DrillReportFile;
    let markdown = '';
    try {
      markdown = readFileSync(join(dir, `${id}.md`), 'utf8');
    } catch {
      markdown = '';
    }
    return { id, report, markdown };
  } catch (err) {
    return { error: `drill report ${id}: ${(err as Error).message}` };
  }
}
