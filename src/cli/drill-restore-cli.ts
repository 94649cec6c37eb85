// `baton resume|rollback ID` where ID is a drill's journal. A drill is not
// resumed: its traffic, its clock and its fault window died with it, and a
// second injection would measure nothing. What an interrupted drill needs is
// its restore, the one the console offers at start: `baton rollback ID` runs
// it (the journaled restore steps, in the drill's journal, which then ends
// as rolled back), with the polled state the restore's actions plan from.
import { interruptedDrills, restoreInterrupted } from '../ops/drills/drill-interrupted.js';
import { journalDir, type ActionSummary } from '../ops/engine/history.js';
import { currentOperator } from '../ops/engine/operator.js';
import type { Refusal } from '../ops/engine/registry.js';
import { cliRegistry } from './action-registry-cli.js';
import { lockManagerFor } from './action-session.js';
import { labSocketFor } from './drill-run-cli.js';
import type { GlobalOptions } from './options.js';
import { EXIT, printRefusal } from './run-action.js';
import { openSession } from './session.js';

export const isDrillJournal = (summary: ActionSummary): boolean => summary.plan.action === 'drill';

/** `baton resume` of a drill: refused, naming what puts things back. */
export function drillResumeRefusal(summary: ActionSummary): Refusal {
  const restore = summary.state === 'interrupted' ? `baton rollback ${summary.id} runs its restore (the console offers the same at start)` : `it is ${summary.state}: its restore ran when it ended`;
  return { refused: true, reason: `${summary.id} is a drill (${summary.plan.title}): a drill is not resumed, its traffic and fault window are gone; ${restore}`, hint: `baton drill run ${String(summary.plan.args.drill ?? 'DRILL')} runs it afresh` };
}

/** `baton rollback` of a drill: its restore steps, when it was interrupted. */
export async function restoreDrillCli(summary: ActionSummary, options: GlobalOptions): Promise<number> {
  const drill = (await interruptedDrills(journalDir())).find((d) => d.summary.id === summary.id);
  if (!drill) return printRefusal({ refused: true, reason: `${summary.id} is a drill that is ${summary.state}: only an interrupted drill is left to restore (its restore runs whenever a drill ends)` }, options.json);
  if (drill.restore.length === 0) return printRefusal({ refused: true, reason: `${summary.id}: the drill's journal lists no restore steps`, hint: `baton abandon ${summary.id} once you have put things back by hand` }, options.json);
  const session = await openSession(options);
  try {
    // The restore's actions plan from polled state (a node's standby, a server's state), as in the console.
    await session.monitor.snapshot(0);
    const labSocket = await labSocketFor(session.inventory);
    const log = (line: string) => !options.json && process.stderr.write(`${line}\n`);
    log(`restoring the interrupted drill ${drill.drill} (${summary.id}); its fault was ${drill.injected === 'ok' ? 'in place' : drill.injected === 'failed' ? 'not injected (the inject failed)' : 'maybe in place (not journaled)'}`);
    const deps = { store: session.store, transports: session.transports, registry: cliRegistry(options.inventory), locks: lockManagerFor(session), journalDir: journalDir(), who: currentOperator(), labSocket };
    const r = await restoreInterrupted(drill, deps, log);
    if (options.json) process.stdout.write(JSON.stringify({ id: summary.id, drill: drill.drill, restored: r.restored, steps: r.steps.map((s) => ({ label: s.label, outcome: s.outcome, detail: s.detail })) }, null, 2) + '\n');
    else for (const s of r.steps) process.stdout.write(`${s.outcome.padEnd(7)} ${s.label}: ${s.detail}\n`);
    if (!options.json) process.stdout.write(r.restored ? `${summary.id}: restored (rolled back)\n` : `${summary.id}: NOT restored; it stays offered (baton rollback ${summary.id} again, or the console)\n`);
    return r.restored ? EXIT.ok : EXIT.failed;
  } finally {
    await session.monitor.stop();
  }
}
