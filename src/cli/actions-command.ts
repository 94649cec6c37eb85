// The action commands: `baton act`, and the shortcuts `exec`, `copy`,
// `fetch`, `kill` (each = `baton act NAME --hosts FILTER ...`), and the
// journal's `history`, `resume`, `rollback`, `abandon`.
import { Command, Option } from 'commander';
import { COMPLETIONS } from '../ops/engine/plan.js';
import { ALL_HOSTS } from '../ops/select-hosts.js';
import { cliRegistry } from './action-registry-cli.js';
import { runHistory, runLifecycle } from './history-command.js';
import { positiveInteger, positiveSeconds, sessionDefaults, withConnectionOptions, type GlobalOptions } from './options.js';
import { runActionCli, type ActionCliOptions } from './run-action.js';
import { textTable } from './text-table.js';

const EXIT_HELP = 'Exit codes: 0 done and verified, 1 usage, 2 failed, verify failed or unknown, 3 refused (read-only, lock held, precondition, not confirmed).';

function withConnection(cmd: Command): Command {
  return withConnectionOptions(cmd)
    .option('--read-only', 'refuse every action (exit 3)', false)
    .option('--json', 'machine-readable output', false);
}

function withRun(cmd: Command, hosts = true): Command {
  if (hosts) cmd.option('--hosts <filter>', `hosts to act on, in the console's filter syntax (group=web env=prod !db1, regexes), or ${ALL_HOSTS}`, ALL_HOSTS);
  return cmd
    .addOption(new Option('-p, --parallel <n>', 'hosts at once').argParser(positiveInteger))
    .addOption(new Option('-t, --timeout <seconds>', 'per-host step timeout; the command is killed on the host and its outcome is unknown').argParser(positiveSeconds))
    .option('--plan', 'print the plan and exit 0 (nothing runs)', false)
    .option('-y, --yes', 'run without asking (needed when stdin is not a terminal)', false)
    .addHelpText('after', `\n${EXIT_HELP}`);
}

function actionOptions(cmd: Command): ActionCliOptions {
  const o = cmd.optsWithGlobals<Partial<ActionCliOptions> & Record<string, unknown>>();
  return sessionDefaults(o) as ActionCliOptions;
}

/** Built-in actions and the operator's own (~/.config/baton/actions/, actions/ beside the inventory). */
function listActions(json: boolean, inventory: string | undefined): number {
  const actions = cliRegistry(inventory).list();
  const key = (a: (typeof actions)[number]) => a.custom?.key ?? '';
  const row = (a: (typeof actions)[number]) => ({ name: a.name, usage: a.usage, summary: a.summary, scope: a.scope, key: key(a) || null, source: a.custom?.source ?? 'built-in' });
  if (json) process.stdout.write(JSON.stringify(actions.map(row), null, 2) + '\n');
  else process.stdout.write(textTable(['ACTION', 'ARGUMENTS', 'SCOPE', 'KEY', 'WHAT'], actions.map((a) => [a.name, a.usage, a.scope, key(a), a.summary])));
  return 0;
}

export function registerActions(program: Command, setCode: (code: number) => void): void {
  withRun(withConnection(program.command('act')), false)
    .description('run an action: plan, confirm, lock, execute, verify, journal (baton act --list)')
    .argument('[action]', 'action name (see --list)')
    .argument('[args...]', 'TARGET (a host filter, or all) and the action\'s arguments')
    .option('--list', 'list the actions with their arguments', false)
    .option('--strategy <s>', `exec: when the action succeeded (${COMPLETIONS.join(', ')}); rebalance: resource_based, least_loaded, round_robin, weighted_random`)
    .option('--lever <lever...>', 'rebalance: the levers to move (haproxy, etcd, queues, pacemaker, pacemaker-balanced, pacemaker-stale)')
    .option('--band <points>', 'rebalance: half-width of the balance band in percent points (default 10, or the inventory\'s)')
    .option('--max-step <percent>', 'rebalance: largest change of a weight in one rebalance (default 50)')
    .option('--settle <seconds>', 'rebalance: how long verify measures request rates after the change (default 10)')
    .option('--seed <n>', 'rebalance --strategy weighted_random: the random generator\'s seed')
    .option('--stale-hours <hours>', 'rebalance --lever pacemaker-stale: a cli constraint baton made longer ago than this is stale (default 24)')
    .option('--allow-zero', 'rebalance --lever haproxy: a server on a host over the band may go to weight 0 (out of rotation; never the last of its backend; needs --max-step 100)', false)
    .option('--idle <seconds>', 'rebalance --lever queues: claim the pending entries of consumers idle longer than this (default 60)')
    .option('--undo <command>', 'exec --strategy all-or-nothing: run on the hosts that succeeded when one failed')
    .option('--backup', 'copy: keep the replaced file as FILE.baton-bak-<time>', false)
    .option('--signal <sig>', 'kill: signal name or number (default TERM)')
    .option('--wait-sessions <seconds>', 'haproxy.drain: verify waits up to this long for the server\'s sessions to reach 0')
    .option('--pin', 'pacemaker.move: keep the cli-prefer constraint (move and pin)', false)
    .option('--lifetime <iso8601>', 'pacemaker.move --pin: how long the constraint lasts (PT30M, P1D)')
    .option('--cluster <name>', 'pacemaker.*: which Pacemaker cluster, when the inventory has several that know the name')
    .option('--duration <d>', 'alertmanager.silence: how long, 1m to 30d (30m, 2h, 1d; default 2h)')
    .option('--comment <text>', 'alertmanager.silence: why (your user@host is added)')
    .option('--fenced <set>', 'postgresql.promote, mysql.promote: the replication set\'s name, typed: its old primary is fenced (promote although it answers as primary)')
    .option('--accept-lag <set>', 'postgresql.promote, mysql.promote: the set\'s name, typed: promote although the replay lag is over --max-lag')
    .option('--max-lag <seconds>', 'postgresql.promote, mysql.promote: the replay lag above which it is refused (default 60)')
    .action(async (action: string | undefined, args: string[], _o, cmd: Command) => {
      const o = actionOptions(cmd);
      if ((o as { list?: boolean }).list) return setCode(listActions(o.json, o.inventory));
      if (!action) {
        process.stderr.write('baton: act needs an action (baton act --list shows them)\n');
        return setCode(1);
      }
      setCode(await runActionCli(action, args, o));
    });

  withRun(withConnection(program.command('exec')))
    .description('run a shell command on many hosts (pssh/clush): live per-host lines, then output grouped like clush -b')
    .argument('<command...>', 'the command (put it after --); it runs under /bin/sh on each host')
    .addOption(new Option('--strategy <s>', 'all: every host; first-success: stop at the first ok host; majority: ok when more than half are; all-or-nothing: --undo on the hosts that succeeded when one failed').choices([...COMPLETIONS]).default('all'))
    .option('--undo <command>', 'with --strategy all-or-nothing: the command that undoes COMMAND')
    .action(async (command: string[], _o, cmd: Command) => {
      const o = actionOptions(cmd);
      setCode(await runActionCli('exec', [String(o.hosts), ...command], o));
    });

  withRun(withConnection(program.command('copy')))
    .description('copy a local file to the hosts over SFTP (temp file + rename, mode kept); verified by sha256sum')
    .argument('<local>', 'local file')
    .argument('<remote>', 'path on the hosts (ending in / : a directory, the file keeps its name)')
    .option('--backup', 'keep the replaced file as REMOTE.baton-bak-<time> (rollback restores it)', false)
    .action(async (local: string, remote: string, _o, cmd: Command) => {
      const o = actionOptions(cmd);
      setCode(await runActionCli('copy', [String(o.hosts), local, remote], o));
    });

  withRun(withConnection(program.command('fetch')))
    .description('fetch one file from every host into LOCALDIR/HOST/NAME (like pslurp); verified by sha256sum')
    .argument('<remote>', 'file on the hosts')
    .argument('<localdir>', 'local directory')
    .action(async (remote: string, localDir: string, _o, cmd: Command) => {
      const o = actionOptions(cmd);
      setCode(await runActionCli('fetch', [String(o.hosts), remote, localDir], o));
    });

  withRun(withConnection(program.command('kill')))
    .description('signal the processes whose command line matches PATTERN (pgrep -f); the plan lists them first')
    .argument('<pattern>', 'extended regex matched against full command lines')
    .option('--signal <sig>', 'signal name or number', 'TERM')
    .action(async (pattern: string, _o, cmd: Command) => {
      const o = actionOptions(cmd);
      setCode(await runActionCli('kill', [String(o.hosts), pattern], o));
    });

  program
    .command('history')
    .description('journaled actions and their state (running, ok, failed, unknown, interrupted, abandoned, rolled-back)')
    .option('--json', 'machine-readable output', false)
    .option('--since <duration>', 'only actions started within this long (30m, 8h, 2d)')
    .action(async (_o, cmd: Command) => setCode(await runHistory(cmd.optsWithGlobals<{ json: boolean; since?: string }>())));

  const lifecycle: [string, 'resume' | 'rollback' | 'abandon', string][] = [
    ['resume', 'resume', 'finish an interrupted (or failed) action: runs only the steps not journaled ok, same plan'],
    ['rollback', 'rollback', 'run the undo of the hosts whose steps were journaled ok (when the plan has undo)'],
    ['abandon', 'abandon', 'mark an interrupted action abandoned in its journal (nothing runs)'],
  ];
  for (const [name, mode, description] of lifecycle) {
    withConnection(program.command(name))
      .description(description)
      .argument('<id>', 'action id, or a unique prefix of one (baton history lists them)')
      .addHelpText('after', `\n${EXIT_HELP}`)
      .action(async (id: string, _o, cmd: Command) => setCode(await runLifecycle(mode, id, actionOptions(cmd) as GlobalOptions)));
  }
}
