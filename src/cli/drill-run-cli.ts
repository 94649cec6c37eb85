// `baton drill run FILE`: the drill headless, for CI of a cluster and for
// demos: the session polls as the console does (openSession + monitor), the
// drill runs (lock, journal, traffic, inject, expect, restore), and the
// figures are printed and written as a report. Exit codes: 0 passed, 1 usage
// or a broken drill file, 2 failed (a condition not met, a budget exceeded,
// aborted, not restored), 3 refused (read-only, lock held, not confirmed).
import { resolve, dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { askLab } from '../lab/control-socket.js';
import { journalDir } from '../ops/engine/history.js';
import { currentOperator } from '../ops/engine/operator.js';
import { newActionId } from '../ops/engine/plan.js';
import { isRefusal, refuseIfReadOnly } from '../ops/engine/registry.js';
import { computeFigures, type DrillFigures } from '../ops/drills/drill-figures.js';
import { figuresJson, renderMarkdown } from '../ops/drills/drill-report.js';
import { drillReportDir, writeReport } from '../ops/drills/drill-reports.js';
import { summarizeRepeats, type Spread } from '../ops/drills/drill-repeat.js';
import { DrillControl, runDrill } from '../ops/drills/drill-runner.js';
import type { DrillSpec } from '../ops/drills/drill-spec.js';
import type { Inventory } from '../inventory/types.js';
import { cliRegistry } from './action-registry-cli.js';
import { lockManagerFor } from './action-session.js';
import type { GlobalOptions } from './options.js';
import { EXIT, printRefusal } from './run-action.js';
import { openSession } from './session.js';

export interface DrillRunOptions extends GlobalOptions {
  yes: boolean;
  repeat: number;
  /** The inventory's name typed ahead, for a drill on a real cluster without a terminal. */
  confirm?: string;
}

/** The lab's control socket when this inventory is the one a running lab wrote; else undefined. */
export async function labSocketFor(inventory: Inventory): Promise<string | undefined> {
  if (!inventory.file) return undefined;
  const socket = join(dirname(resolve(inventory.file)), 'control.sock');
  try {
    const reply = await askLab(socket, { cmd: 'status' }, 5000);
    return reply.ok && reply.status && resolve(reply.status.inventory) === resolve(inventory.file) ? socket : undefined;
  } catch {
    return undefined;
  }
}

/** The lab goes with --yes; anything else needs its name typed (or given with --confirm). */
async function confirmed(spec: DrillSpec, inventory: Inventory, isLab: boolean, options: DrillRunOptions): Promise<boolean | 'no-terminal'> {
  if (isLab && options.yes) return true;
  if (!isLab && options.confirm !== undefined) return options.confirm === inventory.name;
  if (!process.stdin.isTTY) return 'no-terminal';
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    if (isLab) return /^y(es)?$/i.test((await rl.question(`Run drill ${spec.name} on the lab? [y/N] `)).trim());
    const answer = await rl.question(`Drill ${spec.name} injects a real fault into ${inventory.name}. Type "${inventory.name}" to go ahead: `);
    return answer.trim() === inventory.name;
  } finally {
    rl.close();
  }
}

const fmt = (v: number | null) => (v === null ? 'never' : `${(v / 1000).toFixed(2)} s`);
const spreadText = (s: Spread, unit = true) => (s.min === null ? 'never' : [s.min, s.median, s.max].map((v) => (unit ? fmt(v) : String(v))).join(' / ') + (s.missing ? ` (${s.missing} never)` : ''));

function figuresText(f: DrillFigures, paths: { markdown: string }): string {
  return [
    `drill ${f.drill}: ${f.passed ? 'PASSED' : 'FAILED'} (${f.id})`,
    `  detection ${fmt(f.detectionMs)}, RTO ${fmt(f.rtoMs)}, longest outage ${fmt(f.longestOutageMs)}`,
    `  requests ok ${f.requests.ok}, failed ${f.requests.fail}, unknown ${f.requests.unknown}, slow ${f.requests.slow}; events ${f.events}; restored ${f.restored ? 'yes' : 'NO'}`,
    ...f.conditions.map((c) => `  ${c.metAtMs === null ? 'NOT MET' : `met ${fmt(c.metAtMs)}`}${c.after === 'restore' ? ' after restore' : ''}: ${c.name}`),
    ...f.failures.map((x) => `  ${x}`),
    `  report: ${paths.markdown}`,
    '',
  ].join('\n');
}

export async function runDrillCli(spec: DrillSpec, file: string, options: DrillRunOptions): Promise<number> {
  const readOnly = refuseIfReadOnly(options.readOnly, `drill ${spec.name}`);
  if (readOnly) return printRefusal(readOnly, options.json);
  const session = await openSession(options);
  try {
    const labSocket = await labSocketFor(session.inventory);
    const ok = await confirmed(spec, session.inventory, labSocket !== undefined, options);
    if (ok === 'no-terminal') {
      const hint = labSocket ? 'give --yes to run it on the lab' : `a drill on ${session.inventory.name} (not the lab) needs its name: --confirm ${session.inventory.name}`;
      process.stderr.write(`baton: not a terminal: nothing can confirm the drill\n  next: ${hint}\n`);
      return EXIT.usage;
    }
    if (!ok) return printRefusal({ refused: true, reason: 'not confirmed' }, options.json);
    session.monitor.start();
    const control = new DrillControl();
    const onSigint = () => {
      control.abort('interrupted (^C)');
      process.stderr.write('\nbaton: aborting the drill: restoring now\n');
    };
    process.on('SIGINT', onSigint);
    const log = (line: string) => !options.json && process.stderr.write(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
    const all: DrillFigures[] = [];
    try {
      for (let i = 0; i < options.repeat && !control.reason; i++) {
        if (options.repeat > 1) log(`run ${i + 1} of ${options.repeat}`);
        const id = newActionId(Date.now());
        const deps = { store: session.store, inventory: session.inventory, transports: session.transports, registry: cliRegistry(options.inventory), locks: lockManagerFor(session), journalDir: journalDir(), who: currentOperator(), labSocket, log };
        const run = await runDrill(spec, file, id, deps, control);
        if (isRefusal(run)) return printRefusal(run, options.json);
        const figures = computeFigures(run);
        const paths = writeReport(drillReportDir(), { version: 1, figures, run }, renderMarkdown(figures, run));
        all.push(figures);
        if (options.repeat === 1) process.stdout.write(options.json ? JSON.stringify(figuresJson(figures, paths.json), null, 2) + '\n' : figuresText(figures, paths));
        else if (!options.json) process.stderr.write(figuresText(figures, paths));
      }
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (options.repeat > 1) {
      const summary = summarizeRepeats(all);
      if (options.json) process.stdout.write(JSON.stringify({ summary, runs: all.map((f) => figuresJson(f)) }, null, 2) + '\n');
      else
        process.stdout.write(
          [
            `drill ${summary.drill}: ${summary.passed}/${summary.runs} passed; min / median / max:`,
            `  detection ${spreadText(summary.detectionMs)}`,
            `  RTO ${spreadText(summary.rtoMs)}`,
            `  longest outage ${spreadText(summary.longestOutageMs)}`,
            `  requests failed ${spreadText(summary.requests.fail, false)}, unknown ${spreadText(summary.requests.unknown, false)}`,
            ...summary.conditions.map((c) => `  ${c.name}: ${spreadText(c.metAtMs)}`),
            '',
          ].join('\n'),
        );
    }
    return all.length === options.repeat && all.every((f) => f.passed) ? EXIT.ok : EXIT.failed;
  } finally {
    await session.monitor.stop();
  }
}
