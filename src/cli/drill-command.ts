// `baton drill run|list|report`: failover drills from drills/*.yaml (shipped,
// for the lab) and ~/.config/baton/drills/, run headless with their figures
// printed and a report written under $XDG_STATE_HOME/baton/drills/.
import { Command, Option } from 'commander';
import { findDrill, drillDirs, listDrills } from '../ops/drills/load-drill.js';
import { drillReportDir, findReport, reportIds } from '../ops/drills/drill-reports.js';
import { INJECT_KINDS } from '../ops/drills/drill-spec.js';
import { PACKAGE_ROOT } from '../ui/config/paths.js';
import { runDrillCli, type DrillRunOptions } from './drill-run-cli.js';
import { DEFAULTS, positiveInteger, positiveSeconds, sessionDefaults, withConnectionOptions } from './options.js';
import { EXIT } from './run-action.js';
import { textTable } from './text-table.js';

const EXIT_HELP = 'Exit codes: 0 passed, 1 usage or a broken drill file (file:line:column), 2 failed (a condition not met, a budget exceeded: the report says which figure; aborted; not restored), 3 refused (--read-only, lock held, not confirmed).';

function printLoadErrors(load: { file: string; errors: { describe(): string }[] }): number {
  process.stderr.write(`baton: drill ${load.file} is not valid:\n${load.errors.map((e) => e.describe()).join('\n')}\n`);
  return EXIT.usage;
}

function runCommand(file: string, cmd: Command): Promise<number> | number {
  const o = cmd.optsWithGlobals<Partial<DrillRunOptions> & Record<string, unknown>>();
  const dirs = drillDirs(PACKAGE_ROOT);
  const load = findDrill(file, dirs);
  if (!load) {
    process.stderr.write(`baton: no drill ${file}\n  next: baton drill list shows them; or give a path (./my-drill.yaml)\n`);
    return EXIT.usage;
  }
  if (!load.ok) return printLoadErrors(load);
  return runDrillCli(load.drill, load.file, { ...sessionDefaults(o), yes: o.yes ?? false, repeat: o.repeat ?? 1 } as DrillRunOptions);
}

function listCommand(json: boolean): number {
  const loads = listDrills(drillDirs(PACKAGE_ROOT));
  const fault = (d: (typeof loads)[number]) => (d.ok ? INJECT_KINDS.filter((k) => d.drill.inject[k] !== undefined).map((k) => `${k} ${JSON.stringify(d.drill.inject[k]).replace(/"/g, '')}`)[0] : '');
  if (json) {
    process.stdout.write(JSON.stringify(loads.map((d) => (d.ok ? { name: d.drill.name, file: d.file, description: d.drill.description ?? null, fault: fault(d), valid: true } : { file: d.file, valid: false, errors: d.errors.map((e) => e.message) })), null, 2) + '\n');
  } else {
    process.stdout.write(textTable(['DRILL', 'FAULT', 'FILE', 'WHAT'], loads.map((d) => (d.ok ? [d.drill.name, fault(d) ?? '', d.file, d.drill.description ?? ''] : ['(invalid)', '', d.file, d.errors[0]?.message ?? '']))));
    const recent = reportIds(drillReportDir()).slice(-5);
    if (recent.length) process.stdout.write(`\nrecent reports (baton drill report ID): ${recent.join(', ')}\n`);
  }
  return loads.every((d) => d.ok) ? EXIT.ok : EXIT.usage;
}

function reportCommand(id: string, json: boolean): number {
  const found = findReport(drillReportDir(), id);
  if ('error' in found) {
    process.stderr.write(`baton: ${found.error}\n  next: baton drill list shows recent ones\n`);
    return EXIT.usage;
  }
  process.stdout.write(json ? JSON.stringify(found.report, null, 2) + '\n' : found.markdown);
  return found.report.figures.passed ? EXIT.ok : EXIT.failed;
}

export function registerDrill(program: Command, setCode: (code: number) => void): void {
  const drill = program.command('drill').description('failover drills: inject a fault under real traffic, time detection and recovery, report the RTO');
  withConnectionOptions(drill.command('run'))
    .description('run a drill (a file, or the name of one in drills/ or ~/.config/baton/drills/) with the monitor polling; prints the figures, writes the report')
    .argument('<drill>', 'a drill file, or a drill name from baton drill list')
    .addOption(new Option('--interval <seconds>', 'poll interval').argParser(positiveSeconds).default(DEFAULTS.intervalSeconds))
    .addOption(new Option('--command-timeout <seconds>', 'remote command timeout').argParser(positiveSeconds).default(DEFAULTS.commandTimeoutSeconds))
    .option('-y, --yes', 'run on the lab without asking (any other inventory needs --confirm NAME)', false)
    .option('--confirm <name>', 'the inventory\'s name, typed ahead: how a drill runs on a real cluster without a terminal')
    .addOption(new Option('--repeat <n>', 'run it N times; print min / median / max of each figure').argParser(positiveInteger).default(1))
    .option('--read-only', 'refuse (exit 3): a drill changes the systems', false)
    .option('--json', 'print the figures as JSON', false)
    .addHelpText('after', `\n${EXIT_HELP}`)
    .action(async (file: string, _o, cmd: Command) => setCode(await runCommand(file, cmd)));
  drill
    .command('list')
    .description('the drills (shipped and your own), their fault and file; broken files with their first error')
    .option('--json', 'as JSON', false)
    .action((o: { json: boolean }) => setCode(listCommand(o.json)));
  drill
    .command('report <id>')
    .description('print a drill report (Markdown, or --json the figures and the raw run); ID may be a unique prefix')
    .option('--json', 'as JSON', false)
    .action((id: string, o: { json: boolean }) => setCode(reportCommand(id, o.json)));
}
