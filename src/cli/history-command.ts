// `baton history`, `resume`, `rollback`, `abandon`: the journal after the
// fact. Resume and rollback reconnect only the run's targets and go through
// the same engine (locks, journal, verify, syslog line).
import type { ActionResult } from '../ops/engine/execute.js';
import { journalDir, listActions, loadAction, resolveActionId, type ActionSummary } from '../ops/engine/history.js';
import { abandonAction, resumeAction, rollbackAction } from '../ops/engine/lifecycle.js';
import { currentOperator, operatorLabel } from '../ops/engine/operator.js';
import { isRefusal, refuseIfReadOnly, type Refusal } from '../ops/engine/registry.js';
import { RunControl } from '../ops/engine/run-control.js';
import { cliRegistry } from './action-registry-cli.js';
import { drillResumeRefusal, isDrillJournal, restoreDrillCli } from './drill-restore-cli.js';
import { lockManagerFor, openActionSession } from './action-session.js';
import type { GlobalOptions } from './options.js';
import { cliHooks, EXIT, executeDeps, printRefusal, printResult } from './run-action.js';
import { textTable } from './text-table.js';

/** "90s", "30m", "8h", "2d". */
export function parseSince(value: string, now = Date.now()): number {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim());
  if (!m) throw new Error(`--since expects a duration such as 30m, 8h or 2d, got "${value}"`);
  return now - Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'] * 1000;
}

function summaryJson(s: ActionSummary) {
  return {
    id: s.id,
    action: s.plan.action,
    title: s.plan.title,
    state: s.state,
    who: operatorLabel(s.who),
    pid: s.who.pid,
    startedAt: new Date(s.startedAt).toISOString(),
    endedAt: s.endedAt === undefined ? null : new Date(s.endedAt).toISOString(),
    targets: s.plan.targets,
    hostsDone: s.hostsDone,
    undo: s.plan.undo.length > 0,
    verify: s.verify ? { outcome: s.verify.outcome, detail: s.verify.detail } : null,
    lock: s.lock ?? null,
    problems: s.problems,
    journal: s.path,
  };
}

export async function runHistory(options: { json: boolean; since?: string }): Promise<number> {
  const since = options.since ? parseSince(options.since) : 0;
  const actions = await listActions(journalDir(), since);
  if (options.json) {
    process.stdout.write(JSON.stringify(actions.map(summaryJson), null, 2) + '\n');
    return EXIT.ok;
  }
  const rows = actions.map((s) => [s.id, s.state, s.plan.action, `${s.hostsDone.length}/${s.plan.targets.length}`, operatorLabel(s.who), s.plan.title.slice(0, 60)]);
  process.stdout.write(rows.length ? textTable(['ID', 'STATE', 'ACTION', 'DONE', 'WHO', 'TITLE'], rows) : `no actions journaled in ${journalDir()}\n`);
  for (const s of actions) {
    for (const p of s.problems) process.stdout.write(`${s.id}: journal line ${p.line}: ${p.reason}: ${p.text}\n`);
    if (s.state === 'interrupted') {
      const rest = s.plan.targets.filter((h) => !s.hostsDone.includes(h));
      const offers = isDrillJournal(s)
        ? [`baton rollback ${s.id} (runs the drill's restore)`, `baton abandon ${s.id}`]
        : [`baton resume ${s.id}`, ...(s.plan.undo.length ? [`baton rollback ${s.id}`] : []), `baton abandon ${s.id}`];
      process.stdout.write(`${s.id} was interrupted (pid ${s.who.pid} gone): done on ${s.hostsDone.join(' ') || 'no host'}; not on ${rest.join(' ') || 'none'}. ${offers.join(' | ')}\n`);
    }
  }
  return EXIT.ok;
}

async function resolve(idOrPrefix: string): Promise<string | Refusal> {
  const id = await resolveActionId(journalDir(), idOrPrefix);
  return typeof id === 'string' ? id : { refused: true, reason: id.error };
}

export async function runLifecycle(mode: 'resume' | 'rollback' | 'abandon', idOrPrefix: string, options: GlobalOptions): Promise<number> {
  const readOnly = mode === 'abandon' ? undefined : refuseIfReadOnly(options.readOnly, mode);
  if (readOnly) return printRefusal(readOnly, options.json);
  const id = await resolve(idOrPrefix);
  if (typeof id !== 'string') return printRefusal(id, options.json);
  if (mode === 'abandon') {
    const r = await abandonAction({ journalDir: journalDir(), who: currentOperator() }, id);
    if (isRefusal(r)) return printRefusal(r, options.json);
    process.stdout.write(options.json ? JSON.stringify({ id, state: 'abandoned' }) + '\n' : `${id}: abandoned (done on ${r.hostsDone.join(' ') || 'no host'})\n`);
    return EXIT.ok;
  }
  const summary = await loadAction(journalDir(), id);
  if (!summary) return printRefusal({ refused: true, reason: `the journal of ${id} has no begin record` }, options.json);
  if (isDrillJournal(summary)) return mode === 'resume' ? printRefusal(drillResumeRefusal(summary), options.json) : restoreDrillCli(summary, options);
  const as = await openActionSession(options, { hosts: summary.plan.targets });
  try {
    const control = new RunControl();
    const { hooks, detach } = cliHooks(summary.plan, control, options.json);
    try {
      const deps = executeDeps(as.live, lockManagerFor(as.session));
      const run = mode === 'resume' ? resumeAction : rollbackAction;
      const result: ActionResult | Refusal = await run(cliRegistry(options.inventory), deps, id, { hooks, control });
      return isRefusal(result) ? printRefusal(result, options.json) : printResult(result, options.json, mode === 'rollback' ? 'rolled-back' : 'ok');
    } finally {
      detach();
    }
  } finally {
    await as.close();
  }
}
