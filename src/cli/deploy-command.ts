// `baton deploy run|rollback|status|list`: deploy files (deploys/*.yaml)
// through the engine, the way `baton act deploy FILE` runs them.
import { Command } from 'commander';
import { basename } from 'node:path';
import { allDeploys, findDeploy } from '../ops/deploy/load-deploy.js';
import { PACKAGE_ROOT } from '../ui/config/paths.js';
import { deployStatus } from './deploy-status.js';
import { sessionDefaults, withConnectionOptions } from './options.js';
import { EXIT, runActionCli, type ActionCliOptions } from './run-action.js';
import { textTable } from './text-table.js';

const EXIT_HELP = 'Exit codes: 0 deployed and verified, 1 usage or a broken deploy file (file:line:column), 2 failed or rolled back, 3 refused (--read-only, lock held, not confirmed).';

export const deploysDir = (): string => `${PACKAGE_ROOT}/deploys`;

function withRun(cmd: Command): Command {
  return withConnectionOptions(cmd)
    .argument('<file>', 'a deploy file, the name of one in deploys/ or in the -i inventory\'s deploys:, or INVENTORY#NAME')
    .option('--plan', 'print the plan (batches in order, the steps of each host) and exit 0; nothing runs', false)
    .option('-y, --yes', 'run without asking (needed when stdin is not a terminal)', false)
    .option('--read-only', 'refuse (exit 3): a deploy changes the hosts', false)
    .option('--json', 'machine-readable output', false)
    .addHelpText('after', `\n${EXIT_HELP}`);
}

function run(file: string, cmd: Command, extra: Record<string, unknown>): Promise<number> | number {
  const load = findDeploy(file, deploysDir(), cmd.optsWithGlobals<{ inventory?: string }>().inventory);
  if (!load) {
    process.stderr.write(`baton: no deploy ${file}\n  next: baton deploy list [-i INVENTORY] shows them; or give a path (./deploys/web.yaml) or INVENTORY#NAME\n`);
    return EXIT.usage;
  }
  if (!load.ok) {
    process.stderr.write(`baton: deploy ${load.file} is not valid:\n${load.errors.map((e) => e.describe()).join('\n')}\n`);
    return EXIT.usage;
  }
  const o = sessionDefaults(cmd.optsWithGlobals<Partial<ActionCliOptions> & Record<string, unknown>>()) as ActionCliOptions;
  return runActionCli('deploy', [load.file], { ...o, ...extra } as ActionCliOptions);
}

function listCommand(json: boolean, inventory?: string): number {
  const loads = allDeploys(deploysDir(), inventory);
  if (json) process.stdout.write(JSON.stringify(loads.map((d) => (d.ok ? { name: d.deploy.name, file: d.file, strategy: d.deploy.strategy.kind, targets: d.deploy.targets, valid: true } : { file: d.file, valid: false, errors: d.errors.map((e) => e.message) })), null, 2) + '\n');
  else process.stdout.write(textTable(['DEPLOY', 'STRATEGY', 'TARGETS', 'FILE'], loads.map((d) => (d.ok ? [d.deploy.name, d.deploy.strategy.kind, d.deploy.targets, basename(d.file)] : ['(invalid)', '', '', `${basename(d.file)}: ${d.errors[0]?.message ?? ''}`]))));
  return loads.every((d) => d.ok) ? EXIT.ok : EXIT.usage;
}

export function registerDeploy(program: Command, setCode: (code: number) => void): void {
  const deploy = program.command('deploy').description('rolling deploys through the load balancer: releases, a `current` switch, drain, health gates, batches');
  withRun(deploy.command('run'))
    .description('deploy a release: plan, confirm, lock the targets for the whole run, run the batches, verify, journal')
    // Not --version: baton's own -V/--version is recognised after a subcommand too.
    .option('-r, --release <v>', 'the release to deploy (a directory name under releases_dir; default: the file\'s release.version)')
    .action((file: string, o: { release?: string }, cmd: Command) => Promise.resolve(run(file, cmd, { version: o.release })).then(setCode));
  withRun(deploy.command('rollback'))
    .description('deploy the previous release again (already on the hosts), through the same drain, switch and health gates')
    .option('--to <v>', 'the release to go back to (default: the newest release before current, where every host agrees)')
    .action((file: string, o: { to?: string }, cmd: Command) => Promise.resolve(run(file, cmd, { rollback: true, to: o.to })).then(setCode));
  deploy
    .command('status')
    .description('the latest run of each deploy from the journal: state, version, hosts done; for an interrupted one the commands that resume or roll it back')
    .option('--json', 'as JSON', false)
    .action(async (_o, cmd: Command) => setCode(await deployStatus(cmd.optsWithGlobals<{ json: boolean }>().json)));
  deploy
    .command('list')
    .description('the deploy files in deploys/ and the deploys: of the -i inventory, their strategy and targets; broken ones with their first error')
    .option('-i, --inventory <file>', 'a baton inventory whose deploys: key is listed too (each as INVENTORY#NAME)')
    .option('--json', 'as JSON', false)
    .action((_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ json: boolean; inventory?: string }>();
      setCode(listCommand(o.json, o.inventory));
    });
}
