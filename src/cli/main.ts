#!/usr/bin/env node
// baton's command line. Exit codes: 0 ok (for --once: every host up),
// 1 usage, inventory or key errors, 2 some hosts not up (--once).
import { Command, Option } from 'commander';
import { runHosts } from './hosts-command.js';
import { runOnce } from './once.js';
import { DEFAULTS, positiveInteger, positiveSeconds, withConnectionOptions, type GlobalOptions } from './options.js';
import { BENCH_PARTS, parseBenchParts, runBench, type BenchOptions } from './bench-command.js';
import { runConsoleMeasurement } from './bench/console-process.js';
import { runReconnectMeasurement } from './bench/reconnect-process.js';
import { registerLab } from './lab-command.js';
import { registerActions } from './actions-command.js';
import { printNotice } from './notice.js';

function withCommonOptions(cmd: Command): Command {
  return withConnectionOptions(cmd)
    .addOption(new Option('--interval <seconds>', 'poll interval').argParser(positiveSeconds).default(DEFAULTS.intervalSeconds))
    .addOption(new Option('--command-timeout <seconds>', 'remote command timeout (the command is killed on the host)').argParser(positiveSeconds).default(DEFAULTS.commandTimeoutSeconds))
    .option('--json', 'machine-readable output', false);
}

async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = withCommonOptions(new Command('baton'))
    .description('Terminal operations console: watch a fleet over SSH, act on it with keystrokes')
    .option('--once', 'take one snapshot, print it and exit (with --json: the documented JSON object)', false)
    .option('--read-only', 'disable every action that changes a managed system', false)
    .option('--theme <name>', 'colour theme (dark, light, high-contrast, monochrome, colour-blind)')
    .option('--view <name>', 'view to open (overview, hosts, ha, queues, deploy, actions)')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 ok (--once: every host up), 1 usage, inventory or key error, 2 --once: some host not up.',
        'Actions (act, exec, copy, fetch, kill, resume, rollback): 0 done and verified, 2 failed or unknown, 3 refused (baton act --help).',
        'In the console, ? shows every key; README.md documents inventories, views, themes and keys.',
        'A local lab to try it on: baton lab up, then baton -i <the inventory it prints> (baton lab --help).',
      ].join('\n'),
    )
    .showHelpAfterError()
    .exitOverride()
    .action(async (_opts, cmd: Command) => {
      const options = cmd.optsWithGlobals<GlobalOptions>();
      if (options.once) {
        code = await runOnce(options);
      } else {
        // React's development build is several times slower per frame; it
        // must be chosen before React loads, hence the late import.
        process.env.NODE_ENV ??= 'production';
        const { runConsoleCommand } = await import('./console-command.js');
        code = await runConsoleCommand(options);
      }
    });

  withCommonOptions(program.command('hosts'))
    .description('print the resolved inventory (hosts, targets, groups, tags, roles)')
    .action(async (_opts, cmd: Command) => {
      code = await runHosts(cmd.optsWithGlobals<GlobalOptions>());
    });

  program
    .command('bench')
    .description('benchmark against parallel-ssh and clush on a local sshd fleet (npm run bench)')
    .addOption(new Option('--hosts <n>', 'fleet size').argParser(positiveInteger).default(200))
    .addOption(new Option('--refreshes <n>', 'steady-state refreshes to time').argParser(positiveInteger).default(20))
    .addOption(new Option('--cpu-seconds <n>', 'how long to measure console CPU').argParser(positiveInteger).default(60))
    .addOption(new Option('--console-hosts <n>', 'fleet size for the console figures').argParser(positiveInteger).default(1000))
    .addOption(new Option('--keys <n>', 'keystrokes timed for latency').argParser(positiveInteger).default(200))
    .addOption(new Option('--detection-samples <n>', 'faults injected per kind for detection latency').argParser(positiveInteger).default(5))
    .addOption(new Option('--failover-samples <n>', 'failovers per operation for keystroke-to-verified (and as many by hand)').argParser(positiveInteger).default(3))
    .addOption(new Option('--reconnect-hosts <n>', 'fleet size (one sshd each) for the cost of a fleet-wide reconnect').argParser(positiveInteger).default(100))
    .addOption(new Option('--action-rounds <n>', 'rounds of each action figure (exec, copy) and of each tool; the median is printed').argParser(positiveInteger).default(3))
    .addOption(new Option('--only <parts>', `run only these parts, comma-separated: ${BENCH_PARTS.join(', ')}`).argParser(parseBenchParts))
    .action(async (opts: BenchOptions) => {
      code = await runBench(opts);
    });

  program
    .command('bench-console <inventory> <knownHosts> <keys>', { hidden: true })
    .description('the console part of the bench, in a process of its own (bench starts it)')
    .action(async (inventory: string, knownHosts: string, keys: string) => {
      code = await runConsoleMeasurement(inventory, knownHosts, positiveInteger(keys));
    });

  program
    .command('bench-reconnect <inventory> <knownHosts>', { hidden: true })
    .description('the reconnect part of the bench, in a process of its own (bench starts it)')
    .action(async (inventory: string, knownHosts: string) => {
      code = await runReconnectMeasurement(inventory, knownHosts);
    });

  registerLab(program, (c) => (code = c));
  registerActions(program, (c) => (code = c));

  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.code?.startsWith('commander.')) return 1;
    throw err;
  }
  return code;
}

/**
 * Exits once stdout and stderr have drained. A pipe takes 64 KiB at a time
 * and the rest waits in Node's buffers, which process.exit() would drop; the
 * explicit exit is still needed, since a closed connection or a timer may
 * keep the loop alive. An empty write's callback runs after every earlier
 * write's has.
 */
function exitWhenDrained(code: number): void {
  let open = 2;
  const done = () => {
    if (--open === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    // A reader that went away (`| head`) has what it wanted: nothing to report.
    stream.on('error', (err: NodeJS.ErrnoException) => process.exit(err.code === 'EPIPE' ? code : 1));
    stream.write('', done);
  }
}

main(process.argv).then(exitWhenDrained, (err: Error & { hint?: string }) => {
  printNotice(err.message, err.hint);
  exitWhenDrained(1);
});
