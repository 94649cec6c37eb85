// `baton sync status|diff|apply|rollback`: a sync set's drift per host, the
// diff of one host, and the two actions (the engine's plan, confirm,
// lock, execute, verify, journal path through runActionCli).
import { Option, type Command } from 'commander';
import { stateText, type HostDrift } from '../ops/sync/drift.js';
import { driftOf, findSet, readSet, setTargets } from '../ops/sync/sync-observe.js';
import { hashCacheFile, loadHashCache, saveHashCache } from '../ops/sync/hash-cache-file.js';
import { hostDiff } from '../ops/sync/sync-reader.js';
import { UsageError } from '../ops/engine/registry.js';
import { openActionSession } from './action-session.js';
import { DEFAULTS, positiveInteger, positiveSeconds, withConnectionOptions, type GlobalOptions } from './options.js';
import { EXIT, printUsageError, runActionCli, type ActionCliOptions } from './run-action.js';
import { textTable } from './text-table.js';

type SyncOptions = ActionCliOptions & Record<string, unknown>;

function options(cmd: Command): SyncOptions {
  const o = cmd.optsWithGlobals<Partial<SyncOptions>>();
  return { ...o, interval: DEFAULTS.intervalSeconds, commandTimeout: DEFAULTS.commandTimeoutSeconds, concurrency: o.concurrency ?? DEFAULTS.concurrency, connectTimeout: o.connectTimeout ?? DEFAULTS.connectTimeoutSeconds, acceptNew: o.acceptNew ?? false, readOnly: o.readOnly ?? false, once: false, json: o.json ?? false } as SyncOptions;
}

const ago = (at: number) => new Date(at).toTimeString().slice(0, 8);

function statusJson(d: HostDrift) {
  return { set: d.set, host: d.host, state: d.state, checkedAt: new Date(d.checkedAt).toISOString(), error: d.error ?? null, files: d.files.map((f) => ({ path: f.path, state: f.state, sourceSha256: f.sourceSha256, targetSha256: f.targetSha256, sourceSize: f.sourceSize, targetSize: f.targetSize, symlink: f.symlink ?? false, error: f.error ?? null })) };
}

async function withSession<T>(o: GlobalOptions, body: (as: Awaited<ReturnType<typeof openActionSession>>) => Promise<T>): Promise<T> {
  const as = await openActionSession(o, { hosts: [] });
  try {
    return await body(as);
  } finally {
    await as.close();
  }
}

/** 0: every host in sync; 2: some drift, or a host that could not be read. */
async function runStatus(name: string | undefined, o: SyncOptions): Promise<number> {
  return withSession(o, async (as) => {
    const sets = name ? [findSet(as.live.inventory, name)] : (as.live.inventory.sync ?? []);
    if (sets.length === 0) throw new UsageError('the inventory has no sync sets', 'declare them under sync: (README: Sync)');
    // Readings kept from the last run: only the files whose stamp moved are hashed again (--rehash: every file).
    const cacheFile = hashCacheFile(as.live.inventory.file ?? as.live.inventory.name);
    const cache = o.rehash ? undefined : await loadHashCache(cacheFile);
    const drift = (await Promise.all(sets.map(async (set) => driftOf(set, await readSet(as.live, set, setTargets(set, as.live.state, Date.now()), cache))))).flat();
    if (cache) await saveHashCache(cacheFile, cache);
    if (o.json) process.stdout.write(JSON.stringify(drift.map(statusJson), null, 2) + '\n');
    else {
      const rows = drift.map((d) => [d.set, d.host, stateText(d), ago(d.checkedAt), d.error ?? d.files.filter((f) => f.state !== 'in-sync').slice(0, 3).map((f) => `${f.path || '(file)'} ${f.state}${f.symlink ? ' (symlink, followed)' : ''}${f.error ? `: ${f.error}` : ''}`).join(', ')]);
      process.stdout.write(textTable(['SET', 'HOST', 'STATE', 'CHECKED', 'DETAIL'], rows));
    }
    return drift.every((d) => d.state === 'in-sync') ? EXIT.ok : EXIT.failed;
  });
}

async function runDiff(name: string, host: string, o: SyncOptions): Promise<number> {
  return withSession(o, async (as) => {
    const { drift, text } = await hostDiff(as.live, name, host);
    process.stdout.write(text || `${host}: ${name} in sync\n`);
    return drift.state === 'in-sync' ? EXIT.ok : EXIT.failed;
  });
}

async function guarded(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UsageError) return printUsageError(err);
    throw err;
  }
}

export function registerSync(program: Command, setCode: (code: number) => void): void {
  const sync = program.command('sync').description('keep files alike across hosts: drift by sha256 on the hosts, diff, validated atomic apply, versioned rollback');
  withConnectionOptions(sync.command('status'))
    .description('per set and host: in-sync, drifted (N files), missing, extra, unreadable (exit 0 all in sync, 2 otherwise)')
    .argument('[set]', 'one sync set (default: every set)')
    .option('--json', 'machine-readable output', false)
    .option('--rehash', 'hash every file, not only those whose size, mtime, ctime or inode moved since the last status', false)
    .action(async (set: string | undefined, _o, cmd: Command) => setCode(await guarded(() => runStatus(set, options(cmd)))));
  withConnectionOptions(sync.command('diff'))
    .description('unified diff of each file that differs, target -> source (binary files: sizes)')
    .argument('<set>')
    .argument('<host>')
    .action(async (set: string, host: string, _o, cmd: Command) => setCode(await guarded(() => runDiff(set, host, options(cmd)))));
  const run = (c: Command) =>
    withConnectionOptions(c)
      .option('--read-only', 'refuse (exit 3)', false)
      .option('--json', 'machine-readable output', false)
      .option('--plan', 'print the plan and exit 0 (nothing runs)', false)
      .option('-y, --yes', 'run without asking (needed when stdin is not a terminal)', false)
      .addOption(new Option('-p, --parallel <n>', 'hosts at once (within a batch)').argParser(positiveInteger))
      .addOption(new Option('-t, --timeout <seconds>', 'per-file upload timeout').argParser(positiveSeconds))
      .addHelpText('after', '\nExit codes: 0 done and verified, 1 usage, 2 failed (a conflict, validate, health) or unknown, 3 refused.');
  run(sync.command('apply'))
    .description('stage, validate, keep the old version, rename in, reload and health-check on every drifted host (serial batches if the set says so)')
    .argument('<set>')
    .action(async (set: string, _o, cmd: Command) => setCode(await runActionCli('sync.apply', [set], options(cmd))));
  run(sync.command('rollback'))
    .description('restore a set on one host to a kept version (default: before the last change), through validate, reload and health')
    .argument('<set>')
    .argument('<host>')
    .argument('[version]', 'a version id or unique prefix (default: the newest)')
    .action(async (set: string, host: string, version: string | undefined, _o, cmd: Command) => setCode(await runActionCli('sync.rollback', [set, host, ...(version ? [version] : [])], options(cmd))));
}
