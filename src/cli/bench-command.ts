// `baton bench` (npm run bench): baton against parallel-ssh and clush on one
// fleet of real sshd hosts on loopback, measured side by side in one run.
// Figures, not assertions: targets are printed next to what was measured.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { ensureLabUser } from '../lab/lab-user.js';
import { startFleet } from '../lab/sshd-fleet.js';
import { HOST_PROBE_COMMAND } from '../probes/host.js';
import { controlMasterOptions, runClush, runPssh, type ToolRun } from './bench/external-tools.js';
import { median, percentile } from './bench/stats.js';
import { ratio, seconds as s, toolNote, verdict } from './bench/figure-format.js';
import { ACTION_PARTS, runActionBench } from './bench/action-bench.js';
import { benchSessionOptions } from './bench/bench-session.js';
import { runOnceBench } from './bench/once-bench.js';
import { runSyncBench } from './bench/sync-bench.js';
import { openSession } from './session.js';

export interface BenchOptions {
  hosts: number;
  refreshes: number;
  cpuSeconds: number;
  /** Fleet size for the console figures (keystroke latency, bytes, memory). */
  consoleHosts: number;
  keys: number;
  /** Faults injected per kind for the detection latency. */
  detectionSamples: number;
  failoverSamples: number;
  drillSamples: number;
  /** Rounds of each action figure (exec, copy) and of each tool; the median is printed. */
  actionRounds: number;
  /** Fleet size (one sshd per host) for the cost of a fleet-wide reconnect. */
  reconnectHosts: number;
  /** Fleet size (one sshd per host, each with its own files) for the sync figures. */
  syncHosts: number;
  /** The parts to run (--only); all of them when absent. */
  only?: readonly BenchPart[];
}

export const BENCH_PARTS = ['fleet', ...ACTION_PARTS, 'detection', 'failover', 'drills', 'console', 'reconnect', 'sync', 'rebalance', 'replication', 'deploy'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/** `--only exec,copy`: a comma-separated list of parts. */
export function parseBenchParts(value: string): BenchPart[] {
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = parts.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (parts.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`expected parts among ${BENCH_PARTS.join(', ')}, got "${value}"`);
  return parts as BenchPart[];
}

const TOOL_PARALLELISM = 32;

function requireTools(): void {
  const missing = ['parallel-ssh', 'parallel-scp', 'parallel-rsync', 'rsync', 'clush', 'sshd'].filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t} || test -x /usr/sbin/${t}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw Object.assign(new Error(`bench needs ${missing.join(', ')}`), { hint: 'install them: bash test/install-deps.sh (Debian: pssh, rsync, clustershell, openssh-server)' });
}


const log = (line: string) => process.stdout.write(`${line}\n`);


export async function runBench(options: BenchOptions): Promise<number> {
  requireTools();
  log(`baton bench: ${cpus().length} cores, node ${process.version}`);
  const loginUser = ensureLabUser();
  const parts = options.only ?? BENCH_PARTS;
  if (parts.includes('fleet')) {
    await runFleetBench(options, loginUser);
    // --once at 50 and 200 hosts: >= 2x and >= 4x faster than a pssh round.
    await runOnceBench({ targets: new Map([[50, 2], [200, 4]]), rounds: options.actionRounds, parallelism: TOOL_PARALLELISM, loginUser, log });
  }
  const actionParts = ACTION_PARTS.filter((p) => parts.includes(p));
  if (actionParts.length > 0) await runActionBench({ hosts: options.hosts, rounds: options.actionRounds, parts: actionParts, loginUser, log });
  if (parts.includes('detection')) await runDetectionBench(options.detectionSamples);
  if (parts.includes('replication')) await runReplicationBench(options.detectionSamples);
  if (parts.includes('failover')) await runFailoverBench(options.failoverSamples);
  if (parts.includes('drills')) await runDrillBench(options.drillSamples);
  if (parts.includes('rebalance')) await runRebalanceBench(options.failoverSamples);
  if (parts.includes('sync')) await runSyncBench({ hosts: options.syncHosts, rounds: options.actionRounds, loginUser, log });
  if (parts.includes('deploy')) {
    const { runDeployBench } = await import('./bench/deploy-bench.js');
    await runDeployBench({ loginUser, log });
  }
  if (parts.includes('console')) await runConsoleBench(options, loginUser);
  if (parts.includes('reconnect')) {
    // The console parts load Ink and React: only when asked, so other commands start without them.
    const { runReconnectBench } = await import('./bench/reconnect-process.js');
    await runReconnectBench({ hosts: options.reconnectHosts, loginUser, log });
  }
  return 0;
}

/** HA detection latency on a real lab, polled at 1 s. */
async function runDetectionBench(samples: number): Promise<void> {
  const intervalS = 1;
  const targetMs = intervalS * 1000 + 200;
  log('');
  log(`detection: starting the lab, polling at ${intervalS} s, ${samples} samples per fault...`);
  const { measureDetection } = await import('./bench/detection-bench.js');
  // The lab inventory names its own known_hosts file.
  const figures = await measureDetection((inventory) => ({ ...benchSessionOptions(inventory, undefined), interval: intervalS }), samples);
  log('figure                                             median (worst)     target');
  for (const f of figures) {
    const ms = f.samplesMs.length ? `${median(f.samplesMs).toFixed(0)} (${Math.max(...f.samplesMs).toFixed(0)}) ms` : 'not seen';
    const missed = f.missed ? ` [${f.missed} of ${samples} not seen in 20 s]` : '';
    // Every sample, not just the median: the target holds wherever in the interval the fault lands.
    const ok = f.missed === 0 && f.samplesMs.every((ms) => ms <= targetMs);
    log(`${f.fault.padEnd(51)}${ms.padEnd(19)}<= ${targetMs} ms  ${verdict(ok)}${missed}  samples: ${f.samplesMs.map((v) => v.toFixed(0)).join(' ')}`);
  }
}

/** Database replication detection on a real PostgreSQL pair, polled at 1 s, against psql read every 100 ms. */
async function runReplicationBench(samples: number): Promise<void> {
  const targetMs = 1000 + 200;
  log('');
  log(`replication: starting the lab with PostgreSQL, polling at 1 s, ${samples} samples per fault...`);
  const { measureReplication } = await import('./bench/replication-bench.js');
  const figures = await measureReplication((inventory) => ({ ...benchSessionOptions(inventory, undefined), interval: 1 }), samples);
  log('figure (from psql first showing it)                median (worst)     target');
  for (const f of figures) {
    const ms = f.samplesMs.length ? `${median(f.samplesMs).toFixed(0)} (${Math.max(...f.samplesMs).toFixed(0)}) ms` : 'not seen';
    const ok = f.missed === 0 && f.samplesMs.every((v) => v <= targetMs);
    log(`${f.fault.padEnd(51)}${ms.padEnd(19)}<= ${targetMs} ms  ${verdict(ok)}${f.missed ? ` [${f.missed} of ${samples} not seen: ${[...new Set(f.notes)].join('; ')}]` : ''}  samples: ${f.samplesMs.map((v) => v.toFixed(0)).join(' ')}`);
  }
}

/** Rebalance: planning on a synthetic 1,000-host store, and R-confirmed-to-verified for the HAProxy lever on the lab. */
async function runRebalanceBench(samples: number): Promise<void> {
  const { measurePlanning, measureLabRebalance, PLAN_TARGET_MS } = await import('./bench/rebalance-bench.js');
  log('');
  log('rebalance: planning on a synthetic store of 1,000 hosts (2 LBs, 10 backends of 100 servers), median of 15');
  for (const p of measurePlanning()) log(`  ${p.strategy.padEnd(16)} ${p.ms.toFixed(1).padStart(6)} ms  (${p.changes} changes)  <= ${PLAN_TARGET_MS} ms ${verdict(p.ms <= PLAN_TARGET_MS)}`);
  log(`rebalance: starting the lab (web2 at 90 % by lab load, 40 req/s), ${samples} samples of R confirmed → verified (HAProxy lever, --settle 0)...`);
  const lab = await measureLabRebalance((inventory) => ({ ...benchSessionOptions(inventory, undefined), interval: 1 }), samples, log);
  log(`  confirmed → verified: median ${median(lab.map((x) => x.weightsMs)).toFixed(0)} ms (worst ${Math.max(...lab.map((x) => x.weightsMs)).toFixed(0)} ms); observe + plan before it: median ${median(lab.map((x) => x.planMs)).toFixed(0)} ms`);
}

/** Keystroke-to-verified failovers on the real lab, polled at 1 s, against the same done by hand. */
async function runFailoverBench(samples: number): Promise<void> {
  const intervalS = 1;
  const overheadTargetMs = intervalS * 1000 + 200;
  log('');
  log(`failover: starting the lab, polling at ${intervalS} s, ${samples} samples per operation...`);
  const { measureFailover } = await import('./bench/failover-bench.js');
  const figures = await measureFailover((inventory) => ({ ...benchSessionOptions(inventory, undefined), interval: intervalS }), samples, log);
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  log('operation                                               baton total  cluster   overhead (worst)  target          by hand   baton <= hand + 1 interval');
  for (const f of figures) {
    const worst = Math.max(...f.baton.map((b) => b.overheadMs));
    const total = median(f.baton.map((b) => b.totalMs));
    const hand = median(f.handMs);
    const slowest = Math.max(...f.baton.map((b) => b.totalMs));
    log(
      `${f.operation.slice(0, 55).padEnd(56)}${ms(total).padEnd(13)}${ms(median(f.baton.map((b) => b.clusterMs))).padEnd(10)}${`${ms(median(f.baton.map((b) => b.overheadMs)))} (${ms(worst)})`.padEnd(18)}` +
        `<= ${overheadTargetMs} ms ${verdict(worst <= overheadTargetMs)}  ${ms(hand).padEnd(10)}${verdict(slowest <= Math.max(...f.handMs) + f.intervalMs)}`,
    );
    log(`  samples (total/cluster/overhead): ${f.baton.map((b) => `${b.totalMs.toFixed(0)}/${b.clusterMs.toFixed(0)}/${b.overheadMs.toFixed(0)}`).join('  ')}; by hand: ${f.handMs.map((v) => v.toFixed(0)).join(' ')}`);
    log(`  phases of the slowest: ${f.baton.reduce((a, b) => (b.totalMs > a.totalMs ? b : a)).phases}`);
  }
}

/** The shipped lab drills 1-3: baton's detection against the real tool's, polled at 100 ms. */
async function runDrillBench(samples: number): Promise<void> {
  const intervalS = 1;
  const targetMs = intervalS * 1000 + 200;
  log('');
  log(`drills: starting the lab, polling at ${intervalS} s, ${samples} runs per drill...`);
  const { measureDrills } = await import('./bench/drill-bench.js');
  const figures = await measureDrills((inventory) => ({ ...benchSessionOptions(inventory, undefined), interval: intervalS }), samples, log);
  const known = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  log('drill                     baton after the tool: median (worst)   target          after the injection, each run');
  for (const f of figures) {
    const lags = known(f.lagMs);
    const missing = f.lagMs.length - lags.length;
    const ok = missing === 0 && lags.every((l) => l <= targetMs);
    const cell = lags.length ? `${median(lags).toFixed(0)} (${Math.max(...lags).toFixed(0)}) ms` : 'never';
    log(
      `${f.drill.padEnd(26)}${cell.padEnd(38)}<= ${targetMs} ms ${verdict(ok)}${missing ? ` [${missing} not seen]` : ''}  ` +
        `tool ${known(f.truthMs).map((v) => v.toFixed(0)).join(' ')} ms; baton ${known(f.detectionMs).map((v) => v.toFixed(0)).join(' ')} ms`,
    );
  }
}

/** Console figures on a real fleet of `consoleHosts` hosts. */
async function runConsoleBench(options: BenchOptions, loginUser: string | undefined): Promise<void> {
  log('');
  log(`console: starting ${options.consoleHosts} real sshd hosts...`);
  const fleet = await startFleet({ hosts: options.consoleHosts, loginUser });
  try {
    const inventory = join(fleet.dir, 'console.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());
    const { measureConsoleInChild } = await import('./bench/console-process.js');
    const { up, connectMs, figures: f } = await measureConsoleInChild(inventory, fleet.knownHostsFile, options.keys);
    log(`console (its own process): ${up}/${options.consoleHosts} hosts up in ${s(connectMs)}; measured on a 120x40 terminal, hosts view`);
    log('figure                                   measured        target');
    log(`keystroke to frame, ${options.keys} keys, p50 (p95)  ${`${f.keyP50Ms.toFixed(1)} (${f.keyP95Ms.toFixed(1)}) ms`.padEnd(16)}p95 <= 30 ms  ${verdict(f.keyP95Ms <= 30)}${f.keysWithoutFrame ? ` [${f.keysWithoutFrame} keys drew no frame]` : ''}`);
    log(`bytes in the next second (the clock)    ${`${f.idleBytesPerSecond.toFixed(0)} B`.padEnd(16)}<= 200 B      ${verdict(f.idleBytesPerSecond <= 200)}`);
    log(`bytes for a refresh that changed nothing ${`${f.unchangedRefreshBytes} B`.padEnd(16)}<= 200 B      ${verdict(f.unchangedRefreshBytes <= 200)}`);
    log(`resident memory, ${options.consoleHosts} hosts connected + console  ${`${f.rssMb.toFixed(0)} MB`.padEnd(16)}<= 200 MB ${verdict(f.rssMb <= 200)}`);
  } finally {
    await fleet.stop();
  }
}

async function runFleetBench(options: BenchOptions, loginUser: string | undefined): Promise<void> {
  log(`fleet: ${options.hosts} hosts`);
  const fleet = await startFleet({ hosts: options.hosts, loginUser });
  try {
    const first = fleet.hosts[0]!;
    const last = fleet.hosts[fleet.hosts.length - 1]!;
    log(`fleet: real OpenSSH sshd on ${first.address}..${last.address} port ${first.port}, login user ${fleet.user} (all tools)`);
    const inventory = join(fleet.dir, 'bench.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());

    const session = await openSession(benchSessionOptions(inventory, fleet.knownHostsFile));
    const t0 = performance.now();
    const cold = await session.monitor.pollAll();
    const batonCold = performance.now() - t0;
    const up = cold.filter(Boolean).length;
    log(`baton cold (connect + first snapshot): ${s(batonCold)}, ${up}/${options.hosts} hosts answered`);
    if (up < options.hosts) {
      const failed = Object.values(session.store.getState().hosts).find((h) => h.conn !== 'up');
      await session.monitor.stop();
      throw new Error(`bench invalid: only ${up}/${options.hosts} hosts answered; first failure: ${failed?.lastError?.message ?? failed?.conn}`);
    }

    const refreshes: number[] = [];
    for (let i = 0; i < options.refreshes; i++) {
      const t = performance.now();
      await session.monitor.pollAll();
      refreshes.push(performance.now() - t);
    }
    const p50 = median(refreshes);
    const p95 = percentile(refreshes, 95);
    log(`baton steady full refresh over ${options.refreshes}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);

    log(`measuring console CPU for ${options.cpuSeconds} s at a 1 s interval...`);
    session.monitor.start();
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, options.cpuSeconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const cpuPerMinute = ((cpu.user + cpu.system) / 1e6) * (60 / options.cpuSeconds);
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    await session.monitor.stop();
    log(`baton CPU: ${cpuPerMinute.toFixed(2)} s per minute (${((cpuPerMinute / 60) * 100).toFixed(1)} % of one core), RSS ${rssMb.toFixed(0)} MB`);

    log(`running parallel-ssh -p ${TOOL_PARALLELISM} and clush -f ${TOOL_PARALLELISM} with the same probe command...`);
    const pssh = await runPssh(fleet, TOOL_PARALLELISM, HOST_PROBE_COMMAND);
    const clush = await runClush(fleet, TOOL_PARALLELISM, HOST_PROBE_COMMAND);
    const cm = controlMasterOptions(fleet);
    await runPssh(fleet, TOOL_PARALLELISM, 'true', cm); // opens the masters
    const warmRounds: ToolRun[] = [];
    for (let i = 0; i < 5; i++) warmRounds.push(await runPssh(fleet, TOOL_PARALLELISM, HOST_PROBE_COMMAND, cm));
    const psshWarm = median(warmRounds.map((r) => r.ms));

    log('');
    log('figure                                   measured        vs                                 ratio    target');
    log(`cold: connect + first snapshot           ${s(batonCold).padEnd(15)} parallel-ssh ${s(pssh.ms).padEnd(22)}${ratio(pssh.ms, batonCold).padEnd(9)}>= 4x  ${verdict(pssh.ms / batonCold >= 4)}${toolNote(pssh)}`);
    log(`                                         ${''.padEnd(15)} clush        ${s(clush.ms).padEnd(22)}${ratio(clush.ms, batonCold).padEnd(9)}>= 4x  ${verdict(clush.ms / batonCold >= 4)}${toolNote(clush)}`);
    log(`steady: full refresh p50 (p95)           ${`${p50.toFixed(0)} (${p95.toFixed(0)}) ms`.padEnd(15)} pssh round   ${s(pssh.ms).padEnd(22)}${ratio(pssh.ms, p50).padEnd(9)}>= 50x ${verdict(pssh.ms / p50 >= 50)}`);
    log(`                                         ${''.padEnd(15)} pssh warm CM ${s(psshWarm).padEnd(22)}${ratio(psshWarm, p50).padEnd(9)}>= 10x ${verdict(psshWarm / p50 >= 10)}${toolNote(warmRounds[0]!)}`);
    log(`console CPU at 1 s interval              ${`${cpuPerMinute.toFixed(2)} s/min`.padEnd(15)} ${''.padEnd(35)}${'<= 6 s'.padEnd(7)}${verdict(cpuPerMinute <= 6)}`);
  } finally {
    await fleet.stop();
  }
}
