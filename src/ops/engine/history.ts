// What the journal says about each run: its state (a run with no `end`
// whose process is gone is `interrupted`), which steps ended how, and the
// problems found reading it.
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { journalPath, readJournal, type JournalProblem, type JournalRecord } from './journal.js';
import { isAliveHere, type Operator } from './operator.js';
import type { ActionState, Plan, StepOutcome } from './plan.js';

export function journalDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'baton', 'journal');
}

type StepEnd = Extract<JournalRecord, { t: 'step-end' }>;

export interface ActionSummary {
  id: string;
  path: string;
  plan: Plan;
  /** The process that ran it last (a resume takes over). */
  who: Operator;
  state: ActionState;
  startedAt: number;
  endedAt?: number;
  /** Last step-end per step id. */
  steps: Map<string, StepEnd>;
  /** Hosts whose every step is journaled ok. */
  hostsDone: string[];
  lock?: { backend: string; keys: string[]; token?: string };
  verify?: Extract<JournalRecord, { t: 'verify' }>;
  notes: string[];
  problems: JournalProblem[];
}

/** Derives a run's summary; undefined when there is no begin record to derive it from. */
export function summarize(id: string, path: string, records: JournalRecord[], problems: JournalProblem[], alive = isAliveHere): ActionSummary | undefined {
  const begin = records.find((r) => r.t === 'begin');
  if (!begin) return undefined;
  let who = begin.who;
  let end: Extract<JournalRecord, { t: 'end' }> | undefined;
  const summary: ActionSummary = { id, path, plan: begin.plan, who, state: 'running', startedAt: begin.at, steps: new Map(), hostsDone: [], notes: [], problems };
  for (const r of records) {
    if (r.t === 'resume') {
      who = r.who;
      end = undefined;
    } else if (r.t === 'step-end') summary.steps.set(r.step, r);
    else if (r.t === 'lock') summary.lock = { backend: r.backend, keys: r.keys, token: r.token };
    else if (r.t === 'verify') summary.verify = r;
    else if (r.t === 'note') summary.notes.push(r.message);
    else if (r.t === 'end') end = r;
  }
  summary.who = who;
  summary.state = end ? end.state : alive(who) ? 'running' : 'interrupted';
  summary.endedAt = end?.at;
  summary.hostsDone = hostsWhere(summary.plan, summary.steps, (o) => o === 'ok');
  return summary;
}

/** Hosts whose every step of the plan ended with an outcome `test` accepts. */
export function hostsWhere(plan: Plan, steps: ReadonlyMap<string, StepEnd>, test: (o: StepOutcome) => boolean): string[] {
  return plan.targets.filter((host) => {
    const own = plan.steps.filter((s) => s.hostId === host);
    return own.length > 0 && own.every((s) => {
      const end = steps.get(s.id);
      return end !== undefined && test(end.outcome);
    });
  });
}

export async function loadAction(dir: string, id: string): Promise<ActionSummary | undefined> {
  const path = journalPath(dir, id);
  const read = await readJournal(path).catch(() => undefined);
  return read && summarize(id, path, read.records, read.problems);
}

/** Every journaled run started at or after `since`, oldest first. */
export async function listActions(dir: string, since = 0): Promise<ActionSummary[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ActionSummary[] = [];
  for (const name of names.filter((n) => n.endsWith('.jsonl')).sort()) {
    const summary = await loadAction(dir, name.slice(0, -'.jsonl'.length));
    if (summary && summary.startedAt >= since) out.push(summary);
  }
  return out;
}

/** An id, or a unique prefix of one (`baton resume 20261203T1203`). */
export async function resolveActionId(dir: string, idOrPrefix: string): Promise<string | { error: string }> {
  const ids = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -6));
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const matches = ids.filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  return { error: matches.length === 0 ? `no action ${idOrPrefix} in ${dir}` : `${idOrPrefix} matches ${matches.length} actions: ${matches.slice(0, 5).join(', ')}` };
}
