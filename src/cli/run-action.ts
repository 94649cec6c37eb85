// One action from the command line, the same path the console takes minus
// the dialog: read-only gate -> parse -> connect -> observe -> plan ->
// print or confirm -> lock, run, verify, journal -> grouped output.
// Exit codes: 0 done and verified, 1 usage, 2 failed/unknown, 3 refused.
import { createInterface } from 'node:readline/promises';
import { executeAction, type ActionResult, type ExecuteDeps } from '../ops/engine/execute.js';
import { journalDir } from '../ops/engine/history.js';
import { currentOperator } from '../ops/engine/operator.js';
import { confirmLevel, confirmWord, newActionId, type Plan } from '../ops/engine/plan.js';
import { isRefusal, refuseIfReadOnly, UsageError, type AnyAction, type Refusal } from '../ops/engine/registry.js';
import { RunControl } from '../ops/engine/run-control.js';
import type { RunHooks } from '../ops/engine/runner.js';
import { cliRegistry } from './action-registry-cli.js';
import { lockManagerFor, openActionSession } from './action-session.js';
import { groupedText, liveLine, planText, resultJson } from './action-output.js';
import type { GlobalOptions } from './options.js';

const HOST_SCOPES: ReadonlySet<string> = new Set(['host', 'selection', 'group', 'fleet']);

/** Every action shows its plan and asks, but an operator's own one declared `confirm: false` (and not dangerous). */
const asksFirst = (def: AnyAction): boolean => def.custom?.confirm !== false;

export const EXIT = { ok: 0, usage: 1, failed: 2, refused: 3 } as const;

export interface ActionCliOptions extends GlobalOptions {
  plan?: boolean;
  yes?: boolean;
  /** The shortcuts' host filter (`baton exec --hosts FILTER`). */
  hosts?: string;
}

export function printRefusal(r: Refusal, json: boolean): number {
  if (json) process.stdout.write(JSON.stringify({ refused: true, reason: r.reason, hint: r.hint ?? null }) + '\n');
  process.stderr.write(`baton: refused: ${r.reason}\n${r.hint ? `  next: ${r.hint}\n` : ''}`);
  return EXIT.refused;
}

export function printUsageError(err: UsageError): number {
  process.stderr.write(`baton: ${err.message}\n${err.hint ? `  next: ${err.hint}\n` : ''}`);
  return EXIT.usage;
}

async function confirm(plan: Plan): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (confirmLevel(plan) === 'typed') {
      const word = confirmWord(plan);
      return (await rl.question(`This touches ${plan.targets.length} hosts. Type "${word}" to go ahead: `)).trim() === word;
    }
    return /^y(es)?$/i.test((await rl.question('Go ahead? [y/N] ')).trim());
  } finally {
    rl.close();
  }
}

/** Live lines on stderr as hosts finish; ^C once aborts (running steps finish), twice kills them. */
export function cliHooks(plan: Plan, control: RunControl, quiet: boolean): { hooks: RunHooks; detach(): void } {
  let done = 0;
  const total = plan.steps.length;
  const onSigint = () => {
    const kill = control.isAborted;
    control.abort({ kill, reason: kill ? 'interrupted twice (^C ^C)' : 'interrupted (^C)' });
    process.stderr.write(kill ? '\nbaton: killing the running steps\n' : '\nbaton: aborting: no new steps; running ones finish (^C again kills them)\n');
  };
  process.on('SIGINT', onSigint);
  return {
    hooks: { onStep: (r) => !quiet && process.stderr.write(liveLine(r, ++done, total)) },
    detach: () => process.off('SIGINT', onSigint),
  };
}

/** Exit 0 when the run ended as asked: `ok`, or for `baton rollback` `rolled-back` (undone and verified). */
export function printResult(result: ActionResult, json: boolean, success: ActionResult['state'] = 'ok'): number {
  process.stdout.write(json ? JSON.stringify(resultJson(result), null, 2) + '\n' : groupedText(result));
  return result.state === success ? EXIT.ok : EXIT.failed;
}

export function executeDeps(live: ExecuteDeps['live'], locks: ExecuteDeps['locks']): ExecuteDeps {
  return { live, locks, journalDir: journalDir(), who: currentOperator() };
}

export async function runActionCli(name: string, argv: string[], options: ActionCliOptions): Promise<number> {
  const registry = cliRegistry(options.inventory);
  const def = registry.get(name);
  if (!def) return printUsageError(new UsageError(`no action "${name}"`, `baton act --list shows them: ${registry.list().map((a) => a.name).join(', ')}`));
  const readOnly = refuseIfReadOnly(options.readOnly, def);
  if (readOnly) return printRefusal(readOnly, options.json);
  let args: unknown;
  try {
    args = def.parseArgs(argv, options as unknown as Record<string, unknown>);
    if (!options.plan && !options.yes && asksFirst(def) && !process.stdin.isTTY) throw new UsageError('not a terminal: nothing can confirm the plan', 'give --yes to run it, or --plan to print it');
  } catch (err) {
    if (err instanceof UsageError) return printUsageError(err);
    throw err;
  }
  // A host action's target is a host filter: those hosts are connected first. A
  // service item (a resource, a server) is no filter: observe connects what it reads.
  const as = await openActionSession(options, HOST_SCOPES.has(def.scope) ? (argv[0] ?? '') : { hosts: [] });
  try {
    const now = Date.now();
    const who = currentOperator();
    let plan: Plan | Refusal;
    try {
      const facts = def.observe ? await def.observe(as.live, args) : undefined;
      plan = def.plan({ state: as.session.store.getState(), inventory: as.session.inventory, now, who, newId: () => newActionId(now), facts }, args);
    } catch (err) {
      if (err instanceof UsageError) return printUsageError(err);
      throw err;
    }
    if (isRefusal(plan)) return printRefusal(plan, options.json);
    if (options.plan) {
      process.stdout.write(options.json ? JSON.stringify(plan, null, 2) + '\n' : planText(plan));
      return EXIT.ok;
    }
    if (!options.yes && asksFirst(def)) {
      process.stderr.write(planText(plan));
      if (!(await confirm(plan))) return printRefusal({ refused: true, reason: 'not confirmed' }, options.json);
    }
    const control = new RunControl();
    const { hooks, detach } = cliHooks(plan, control, options.json);
    try {
      const result = await executeAction(plan, def, executeDeps(as.live, lockManagerFor(as.session)), { hooks, control });
      return isRefusal(result) ? printRefusal(result, options.json) : printResult(result, options.json);
    } finally {
      detach();
    }
  } finally {
    await as.close();
  }
}
