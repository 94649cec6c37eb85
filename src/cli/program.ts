// baton's commands and options, defined once: parsing, --help, the man page
// and the shell completions are all read from this tree, so they cannot drift.
import { Command, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { runHosts } from './hosts-command.js';
import { ONCE_SAMPLE_GAP_SECONDS, runOnce, type OnceOptions } from './once.js';
import { DEFAULTS, positiveInteger, positiveSeconds, withConnectionOptions, type GlobalOptions } from './options.js';
import { BENCH_PARTS, parseBenchParts, runBench, type BenchOptions } from './bench-command.js';
import { registerLab } from './lab-command.js';
import { registerActions } from './actions-command.js';
import { registerCompletion } from './completion-command.js';
import { registerSync } from './sync-command.js';
import { DEFAULT_SYNC_EVERY } from '../monitor/sync-poller.js';
import { registerRecord } from './record-command.js';
import { registerDeploy } from './deploy-command.js';
import { registerDrill } from './drill-command.js';

export const BATON_VERSION: string = packageJson.version;

function withCommonOptions(cmd: Command): Command {
  return withConnectionOptions(cmd)
    .addOption(new Option('--interval <seconds>', 'poll interval').argParser(positiveSeconds).default(DEFAULTS.intervalSeconds))
    .addOption(new Option('--command-timeout <seconds>', 'remote command timeout (the command is killed on the host)').argParser(positiveSeconds).default(DEFAULTS.commandTimeoutSeconds))
    .option('--json', 'machine-readable output', false);
}

/** The whole command tree; each action reports its exit code through `setCode`. */
export function buildProgram(setCode: (code: number) => void): Command {
  const program = withCommonOptions(new Command('baton'))
    .description('Terminal operations console: watch a fleet over SSH, act on it with keystrokes')
    .version(BATON_VERSION, '-V, --version', 'print the version and exit')
    .option('--once', 'take one snapshot, print it and exit (with --json: the documented JSON object)', false)
    .addOption(new Option('--sample-gap <seconds>', '--once: seconds between a host\'s two samples (CPU %, rates)').argParser(positiveSeconds).default(ONCE_SAMPLE_GAP_SECONDS))
    .option('--read-only', 'disable every action that changes a managed system', false)
    .option('--no-read-only', 'allow actions though config.yaml says read-only: true')
    .option('--theme <name>', 'colour theme (dark, light, high-contrast, monochrome, colour-blind)')
    .option('--view <name>', 'view to open (overview, hosts, ha, queues, deploy, actions, incident, network, alerts; default: incident on a terminal of 160x45 or more, else overview)')
    .addOption(new Option('--sync-every <intervals>', 'the console re-checks the sync sets\' hashes every N poll intervals (and on c or r in the Sync pane)').argParser(positiveInteger).default(DEFAULT_SYNC_EVERY))
    .option('--record <file>', 'record the console: asciicast v2 FILE and FILE.events.jsonl (a bare name: in ${XDG_STATE_HOME:-~/.local/state}/baton/recordings)')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 ok (--once: every host up), 1 usage, inventory or key error, 2 --once: some host not up.',
        'Actions (act, exec, copy, fetch, kill, resume, rollback): 0 done and verified, 2 failed or unknown, 3 refused (baton act --help).',
        'Defaults for --inventory, --interval, --theme, --view, --known-hosts and --read-only: ~/.config/baton/config.yaml.',
        'In the console, ? shows every key; README.md documents inventories, views, themes and keys.',
        'A local lab to try it on: baton lab up, then baton -i <the inventory it prints> (baton lab --help).',
      ].join('\n'),
    )
    .showHelpAfterError()
    .exitOverride()
    .action(async (_opts, cmd: Command) => {
      const options = cmd.optsWithGlobals<OnceOptions>();
      if (options.once) {
        setCode(await runOnce(options));
      } else {
        // React's development build is several times slower per frame; it
        // must be chosen before React loads, hence the late import.
        process.env.NODE_ENV ??= 'production';
        const { runConsoleCommand } = await import('./console-command.js');
        setCode(await runConsoleCommand(options));
      }
    });

  withCommonOptions(program.command('hosts'))
    .description('print the resolved inventory (hosts, targets, groups, tags, roles)')
    .action(async (_opts, cmd: Command) => {
      setCode(await runHosts(cmd.optsWithGlobals<GlobalOptions>()));
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
    .addOption(new Option('--drill-samples <n>', 'runs of each lab drill for detection against the real tool').argParser(positiveInteger).default(5))
    .addOption(new Option('--sync-hosts <n>', 'fleet size (one sshd each, its own copy of the files) for the sync figures against parallel-rsync and clush --copy').argParser(positiveInteger).default(50))
    .addOption(new Option('--reconnect-hosts <n>', 'fleet size (one sshd each) for the cost of a fleet-wide reconnect').argParser(positiveInteger).default(100))
    .addOption(new Option('--action-rounds <n>', 'rounds of each action figure (exec, copy) and of each tool; the median is printed').argParser(positiveInteger).default(3))
    .addOption(new Option('--only <parts>', `run only these parts, comma-separated: ${BENCH_PARTS.join(', ')}`).argParser(parseBenchParts))
    .action(async (opts: BenchOptions) => {
      setCode(await runBench(opts));
    });

  program
    .command('bench-console <inventory> <knownHosts> <keys>', { hidden: true })
    .description('the console part of the bench, in a process of its own (bench starts it)')
    .action(async (inventory: string, knownHosts: string, keys: string) => {
      // Loaded on use: the console (Ink, React) costs every other command its start-up time.
      const { runConsoleMeasurement } = await import('./bench/console-process.js');
      setCode(await runConsoleMeasurement(inventory, knownHosts, positiveInteger(keys)));
    });

  program
    .command('bench-reconnect <inventory> <knownHosts>', { hidden: true })
    .description('the reconnect part of the bench, in a process of its own (bench starts it)')
    .action(async (inventory: string, knownHosts: string) => {
      const { runReconnectMeasurement } = await import('./bench/reconnect-process.js');
      setCode(await runReconnectMeasurement(inventory, knownHosts));
    });

  registerLab(program, setCode);
  registerActions(program, setCode);
  registerSync(program, setCode);
  registerDrill(program, setCode);
  registerDeploy(program, setCode);
  registerRecord(program, setCode);
  registerCompletion(program, setCode);
  return program;
}
