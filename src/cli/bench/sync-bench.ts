// Sync figures for `baton bench`: a set of 200 files (10 MiB) of which one
// changed, on a fleet of real sshd hosts that each hold their own copy (a
// mount namespace per sshd, the host's directory bind-mounted at one path),
// against parallel-rsync and clush --copy: time to report the drift, time to
// bring every host in sync, the bytes that crossed the wire to one host (a
// counting proxy in front of it), and whether the 199 unchanged files were
// left alone (their inodes, hard links to one base copy, unchanged).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { startFleet, type Fleet } from '../../lab/sshd-fleet.js';
import { journalDir } from '../../ops/engine/history.js';
import { currentOperator } from '../../ops/engine/operator.js';
import type { HostDrift } from '../../ops/sync/drift.js';
import { syncApplyAction } from '../../ops/sync/sync-actions.js';
import type { SyncReader } from '../../monitor/sync-poller.js';
import { createSyncReader } from '../../ops/sync/sync-reader.js';
import { lockManagerFor } from '../action-session.js';
import { openSession, type Session } from '../session.js';
import { timeActionRound, type ActionBenchDeps, type ActionRound } from './action-round.js';
import { benchSessionOptions } from './bench-session.js';
import { runClushCopy, runPrsync, type ToolRun } from './external-tools.js';
import { toolNote } from './figure-format.js';
import { median } from './stats.js';
import { SYNC_HEADER, syncFigureLine, type SyncFigure } from './sync-bench-figures.js';

export interface SyncBenchOptions {
  hosts: number;
  rounds: number;
  loginUser: string | undefined;
  log(line: string): void;
}

const TOOL_PARALLELISM = 32;
const ms = (v: number) => `${v.toFixed(0)} ms`;
const FILES = 200;
const SET_BYTES = 10 * 2 ** 20;
const FIRST_ADDRESS = '127.0.25.1';
const PROXY_ADDRESS = '127.0.25.250';
const rel = (i: number) => `d${String(i % 10).padStart(2, '0')}/f${String(i).padStart(3, '0')}.conf`;
/** The file that differs (d03/f063.conf), one of twenty in its directory. */
const CHANGED = rel(63);

/** Config-like text: lines of base64, `bytes` long. */
const textOf = (bytes: number) => randomBytes(bytes).toString('base64').replace(/(.{76})/g, '$1\n').slice(0, bytes);

interface Layout {
  work: string;
  base: string;
  source: string;
  view: string;
  hostDir(id: string): string;
  oldChanged: string;
  changedMtime: Date;
}

/** The source, and each host's tree: 199 hard links to one base copy plus its own copy of the old CHANGED file. */
function buildTrees(work: string, ids: readonly string[], loginUser: string | undefined): Layout {
  const base = join(work, 'base');
  const source = join(work, 'source');
  const view = join(work, 'view');
  const hostDir = (id: string) => join(work, 'hosts', id);
  const size = Math.floor(SET_BYTES / FILES);
  const old = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < FILES; i++) {
    const text = textOf(size + (i === 0 ? SET_BYTES - size * FILES : 0));
    for (const root of [base, source]) {
      mkdirSync(dirname(join(root, 'app', rel(i))), { recursive: true });
      writeFileSync(join(root, 'app', rel(i)), text);
      utimesSync(join(root, 'app', rel(i)), old, old);
    }
  }
  const oldChanged = readFileSync(join(source, 'app', CHANGED), 'utf8');
  // One line changed in the source: the rest of the file as it was.
  writeFileSync(join(source, 'app', CHANGED), oldChanged.replace(/^.{8}/, 'CHANGED!'));
  mkdirSync(view);
  for (const id of ids) {
    for (let i = 0; i < FILES; i++) {
      mkdirSync(dirname(join(hostDir(id), 'app', rel(i))), { recursive: true });
      if (rel(i) !== CHANGED) linkSync(join(base, 'app', rel(i)), join(hostDir(id), 'app', rel(i)));
    }
  }
  const layout = { work, base, source, view, hostDir, oldChanged, changedMtime: old };
  for (const id of ids) resetHost(layout, id);
  // The tools log in as the login user: it owns the hosts' trees (modes as the source's, so rsync -a has no attribute to fix).
  if (loginUser) execFileSync('chown', ['-R', `${loginUser}:`, join(work, 'hosts'), base]);
  return layout;
}

/** The host's CHANGED file back to the old content and time: drifted again. */
function resetHost(l: Layout, id: string): void {
  const path = join(l.hostDir(id), 'app', CHANGED);
  writeFileSync(path, l.oldChanged);
  utimesSync(path, l.changedMtime, l.changedMtime);
}

const UNCHANGED = Array.from({ length: FILES }, (_, i) => rel(i)).filter((r) => r !== CHANGED);
/** The base copy's change times: every host's unchanged file is a hard link to it. */
const baseCtimes = (l: Layout) => UNCHANGED.map((r) => statSync(join(l.base, 'app', r)).ctimeMs);

/**
 * After a round: how many hosts hold the source's CHANGED bytes, and how
 * many of the 199 other files some host wrote anyway (replaced: no longer
 * the base's inode; or written in place: the inode's ctime moved).
 */
function checkHosts(l: Layout, ids: readonly string[], ctimesBefore: readonly number[]): { inSync: number; touched: number } {
  const want = readFileSync(join(l.source, 'app', CHANGED));
  const inSync = ids.filter((id) => readFileSync(join(l.hostDir(id), 'app', CHANGED)).equals(want)).length;
  const touched = UNCHANGED.filter((r, i) => statSync(join(l.base, 'app', r)).ctimeMs !== ctimesBefore[i] || ids.some((id) => statSync(join(l.hostDir(id), 'app', r)).ino !== statSync(join(l.base, 'app', r)).ino)).length;
  return { inSync, touched };
}

/** A TCP proxy in front of the first host that counts the bytes both ways. */
async function countingProxy(fleet: Fleet): Promise<{ server: Server; port: number; bytes: { n: number } }> {
  const bytes = { n: 0 };
  const server = createServer((client) => {
    const upstream = connect(fleet.hosts[0]!.port, fleet.hosts[0]!.address);
    client.on('data', (b) => (bytes.n += b.length));
    upstream.on('data', (b) => (bytes.n += b.length));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, PROXY_ADDRESS, r));
  return { server, port: (server.address() as { port: number }).port, bytes };
}

/** The fleet's client files with its first host reached through the proxy, for baton and the tools alike. */
function proxiedClientFiles(fleet: Fleet, l: Layout, proxyPort: number): { inventory: string; knownHosts: string; tools: Fleet } {
  const first = fleet.hosts[0]!;
  const known = readFileSync(fleet.knownHostsFile, 'utf8');
  const knownHosts = join(l.work, 'known_hosts');
  writeFileSync(knownHosts, `${known}${known.split('\n')[0]!.replace(/^\S+/, `[${PROXY_ADDRESS}]:${proxyPort}`)}\n`);
  const sshConfigFile = join(l.work, 'ssh_config');
  const config = readFileSync(fleet.sshConfigFile, 'utf8')
    .replace(`Host ${first.id}\n  HostName ${first.address}\n  Port ${first.port}\n`, `Host ${first.id}\n  HostName ${PROXY_ADDRESS}\n  Port ${proxyPort}\n`)
    .replace(fleet.knownHostsFile, knownHosts);
  writeFileSync(sshConfigFile, config, { mode: 0o600 });
  const psshHostsFile = join(l.work, 'pssh_hosts');
  writeFileSync(psshHostsFile, readFileSync(fleet.psshHostsFile, 'utf8').replace(`@${first.address}:${first.port}\n`, `@${PROXY_ADDRESS}:${proxyPort}\n`));
  const hosts = Object.fromEntries(fleet.hosts.map((h, i) => [h.id, { address: i === 0 ? PROXY_ADDRESS : h.address, port: i === 0 ? proxyPort : h.port, user: fleet.user, identity: fleet.identityFile }]));
  const inventory = join(l.work, 'sync.yaml');
  writeFileSync(inventory, stringify({ hosts, sync: { app: { source: join(l.source, 'app'), path: join(l.view, 'app') } } }));
  return { inventory, knownHosts, tools: { ...fleet, sshConfigFile, psshHostsFile } };
}

/** `baton sync status app --json` as a new process: connecting included, as a tool round is; its hash cache in `cacheHome`. */
function batonStatusCli(inventory: string, knownHosts: string, cacheHome: string): Promise<{ ms: number; rows: HostDrift[] }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1]!, 'sync', 'status', 'app', '--json', '-i', inventory, '--known-hosts', knownHosts], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve({ ms: performance.now() - t0, rows: JSON.parse(out) as HostDrift[] });
      } catch {
        reject(new Error(`baton sync status: ${err.trim().split('\n').pop() ?? 'no output'}`));
      }
    });
  });
}

/** Every host drifted by exactly CHANGED: else the figure measured something else. */
function checkDrift(rows: readonly Pick<HostDrift, 'host' | 'state' | 'files'>[], hosts: number): void {
  const right = rows.filter((r) => r.state === 'drifted' && r.files.filter((f) => f.state !== 'in-sync').map((f) => f.path).join() === CHANGED);
  if (right.length !== hosts) throw new Error(`bench invalid: ${right.length}/${hosts} hosts read as drifted by ${CHANGED} (${rows.find((r) => !right.includes(r))?.state ?? 'missing rows'})`);
}

async function measured<T>(bytes: { n: number }, run: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  bytes.n = 0;
  const value = await run();
  return { value, bytes: bytes.n };
}

export async function runSyncBench(options: SyncBenchOptions): Promise<void> {
  const { log, rounds } = options;
  log('');
  log(`sync: ${FILES} files (${SET_BYTES / 2 ** 20} MiB) on ${options.hosts} real sshd hosts, each its own copy (a mount namespace per sshd), 1 file changed...`);
  const ids = Array.from({ length: options.hosts }, (_, i) => `syn${String(i + 1).padStart(3, '0')}`);
  const work = mkdtempSync(join(tmpdir(), 'baton-bench-sync-'));
  chmodSync(work, 0o755);
  mkdirSync(dirname(journalDir()), { recursive: true, mode: 0o700 });
  const benchJournal = mkdtempSync(join(dirname(journalDir()), 'bench-journal-'));
  let fleet: Fleet | undefined;
  let proxy: Awaited<ReturnType<typeof countingProxy>> | undefined;
  let session: Session | undefined;
  try {
    const l = buildTrees(work, ids, options.loginUser);
    fleet = await startFleet({
      hosts: options.hosts,
      perProcess: 1,
      firstAddress: FIRST_ADDRESS,
      loginUser: options.loginUser,
      ids,
      wrapSshd: (host, argv) => ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', l.hostDir(host.id), l.view, ...argv],
    });
    const counted = (proxy = await countingProxy(fleet));
    const { inventory, knownHosts, tools } = proxiedClientFiles(fleet, l, counted.port);
    session = await openSession({ ...benchSessionOptions(inventory, knownHosts), readOnly: false });
    const up = (await session.monitor.pollAll()).filter(Boolean).length;
    if (up < options.hosts) throw new Error(`bench invalid: only ${up}/${options.hosts} hosts answered`);
    const live = { state: session.store.getState(), inventory: session.inventory, transports: session.transports, now: Date.now };
    const src = `${join(l.source, 'app')}/`;
    const dest = `${join(l.view, 'app')}/`;
    const figures: SyncFigure[] = [];
    const toolFigure = async (run: () => Promise<ToolRun>) => {
      const runs: { value: ToolRun; bytes: number }[] = [];
      for (let i = 0; i < rounds; i++) runs.push(await measured(counted.bytes, run));
      const failed = runs.find((r) => r.value.exitCode !== 0);
      return { ms: median(runs.map((r) => r.value.ms)), bytes: median(runs.map((r) => r.bytes)), note: failed ? toolNote(failed.value) : undefined };
    };

    log(`sync: drift, ${rounds} rounds each: baton over warm connections (first check: every file hashed; re-check: the changed file rewritten on every host since), baton sync status (a new process: first run, then again with its readings kept), parallel-rsync -p ${TOOL_PARALLELISM} --dry-run (and --checksum)...`);
    const timedRead = async (r: SyncReader) => {
      const t0 = performance.now();
      const got = await measured(counted.bytes, () => r.read('app'));
      checkDrift(got.value as HostDrift[], options.hosts);
      return { ms: performance.now() - t0, bytes: got.bytes };
    };
    // First check: a reader of its own each round, every file hashed.
    const warm: { ms: number; bytes: number }[] = [];
    for (let i = 0; i < rounds; i++) warm.push(await timedRead(createSyncReader(live)));
    // Re-check: the changed file rewritten on every host since the last check (another version each round).
    const reader = createSyncReader(live);
    await reader.read('app');
    const recheck: { ms: number; bytes: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      ids.forEach((id) => writeFileSync(join(l.hostDir(id), 'app', CHANGED), l.oldChanged.replace(/^.{8}/, `ROUND${String(i).padStart(3, '0')}`)));
      recheck.push(await timedRead(reader));
    }
    ids.forEach((id) => resetHost(l, id));
    // sync status: a first run (no readings kept: every file hashed), then a second (only stamps listed: nothing moved).
    const cold: { ms: number; bytes: number }[] = [];
    const again: { ms: number; bytes: number }[] = [];
    const cacheHome = join(work, 'cache');
    for (let i = 0; i < rounds; i++) {
      rmSync(cacheHome, { recursive: true, force: true });
      for (const into of [cold, again]) {
        const r = await measured(counted.bytes, () => batonStatusCli(inventory, knownHosts, cacheHome));
        into.push({ ms: r.value.ms, bytes: r.bytes });
        checkDrift(r.value.rows, options.hosts);
      }
    }
    const dry = await toolFigure(() => runPrsync(tools, TOOL_PARALLELISM, src, dest, ['--dry-run']));
    const dryChecksum = await toolFigure(() => runPrsync(tools, TOOL_PARALLELISM, src, dest, ['--dry-run', '--checksum']));
    const w = { ms: median(warm.map((x) => x.ms)), bytes: median(warm.map((x) => x.bytes)) };
    const re = { ms: median(recheck.map((x) => x.ms)), bytes: median(recheck.map((x) => x.bytes)) };
    const c = { ms: median(cold.map((x) => x.ms)), bytes: median(cold.map((x) => x.bytes)) };
    const c2 = { ms: median(again.map((x) => x.ms)), bytes: median(again.map((x) => x.bytes)) };
    figures.push(
      { figure: 'drift re-check (console)', batonMs: re.ms, batonBytes: re.bytes, tool: 'prsync --dry-run', toolMs: dry.ms, toolBytes: dry.bytes, atLeast: 5, toolNote: dry.note },
      { figure: 'drift first check (console)', batonMs: w.ms, batonBytes: w.bytes, tool: 'prsync --dry-run', toolMs: dry.ms, toolBytes: dry.bytes, atLeast: 5, toolNote: dry.note },
      { figure: '', batonMs: w.ms, batonBytes: w.bytes, tool: 'prsync --dry-run -c', toolMs: dryChecksum.ms, toolBytes: dryChecksum.bytes, atLeast: 5, toolNote: dryChecksum.note },
      { figure: 'drift report, baton sync status', batonMs: c.ms, batonBytes: c.bytes, tool: 'prsync --dry-run', toolMs: dry.ms, toolBytes: dry.bytes, atLeast: 5, toolNote: dry.note },
      { figure: 'sync status again (readings kept)', batonMs: c2.ms, batonBytes: c2.bytes, tool: 'prsync --dry-run', toolMs: dry.ms, toolBytes: dry.bytes, atLeast: 5, toolNote: dry.note },
    );

    log(`sync: bringing every host in sync, ${rounds} rounds each (every host reset to drifted before a round): baton's sync.apply (whole action: observe, lock, stage, rename, verify, journal), parallel-rsync -a, clush --copy...`);
    const reset = () => ids.forEach((id) => resetHost(l, id));
    const deps: ActionBenchDeps = { live, locks: lockManagerFor(session), journalDir: benchJournal, who: currentOperator() };
    const args = syncApplyAction.parseArgs(['app'], { parallel: TOOL_PARALLELISM });
    const applied: { ms: number; bytes: number; phases: ActionRound }[] = [];
    const outcome: Record<string, { inSync: number; touched: number }> = {};
    for (let i = 0; i < rounds; i++) {
      reset();
      const before = baseCtimes(l);
      const r = await measured(counted.bytes, () => timeActionRound(syncApplyAction, args, deps));
      if (r.value.result.state !== 'ok') throw new Error(`bench invalid: sync.apply ended ${r.value.result.state}`);
      applied.push({ ms: r.value.totalMs, bytes: r.bytes, phases: r.value });
      outcome.baton = checkHosts(l, ids, before);
    }
    const afterTool = (name: string, run: () => Promise<ToolRun>) => async () => {
      reset();
      const before = baseCtimes(l);
      const r = await run();
      outcome[name] = checkHosts(l, ids, before);
      return r;
    };
    const rsync = await toolFigure(afterTool('parallel-rsync', () => runPrsync(tools, TOOL_PARALLELISM, src, dest)));
    const clush = await toolFigure(afterTool('clush --copy', () => runClushCopy(tools, TOOL_PARALLELISM, join(l.source, 'app'), l.view)));
    const a = { ms: median(applied.map((x) => x.ms)), bytes: median(applied.map((x) => x.bytes)) };
    figures.push(
      { figure: 'bring every host in sync', batonMs: a.ms, batonBytes: a.bytes, tool: 'parallel-rsync -a', toolMs: rsync.ms, toolBytes: rsync.bytes, atLeast: 1, toolNote: rsync.note },
      { figure: '', batonMs: a.ms, batonBytes: a.bytes, tool: 'clush --copy', toolMs: clush.ms, toolBytes: clush.bytes, toolNote: clush.note },
    );
    log('');
    log(SYNC_HEADER);
    for (const f of figures) log(syncFigureLine(f));
    for (const [tool, r] of Object.entries(outcome)) {
      const verdictText = tool === 'baton' ? `  only changed files sent ${r.touched === 0 && r.inSync === options.hosts ? 'PASS' : 'MISS'}` : '';
      log(`  ${tool}: ${r.inSync}/${options.hosts} hosts hold the new ${CHANGED}; of the ${UNCHANGED.length} unchanged files, ${r.touched} written anyway${verdictText}`);
    }
    const m = applied.find((x) => x.ms === a.ms)!.phases;
    log(`  baton's median apply: observe (every host's tree hashed) ${ms(m.observeMs)}, locks ${ms(m.lockMs)}, steps (stage, upload, check, rename) ${ms(m.stepsMs)}, verify + journal end + unlock ${ms(m.afterMs)}`);
    log(`  bytes/host: both ways through a counting proxy in front of ${ids[0]} (baton's warm figures: the open connection's traffic only)`);
  } finally {
    await session?.monitor.stop();
    proxy?.server.close();
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(benchJournal, { recursive: true, force: true });
  }
}
