// `baton --once --json` as a cron job runs it (its own process, cold
// connections, two samples per host), timed beside one parallel-ssh round
// of the same probe on the same fleet, at each fleet size.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { startFleet, type Fleet } from '../../lab/sshd-fleet.js';
import { HOST_PROBE_COMMAND } from '../../probes/host.js';
import type { Transport } from '../../transport/types.js';
import { openSession } from '../session.js';
import { benchSessionOptions } from './bench-session.js';
import { machineCpuSeconds, processTreeCpuSeconds, reapedChildrenCpuSeconds } from './cpu-accounting.js';
import { runPssh, type ToolRun } from './external-tools.js';
import { ratio, seconds as s, toolNote, verdict } from './figure-format.js';
import { median } from './stats.js';

export interface OnceBenchOptions {
  /** Fleet size -> how many times faster than a pssh round --once must be. */
  targets: ReadonlyMap<number, number>;
  rounds: number;
  parallelism: number;
  loginUser: string | undefined;
  log(line: string): void;
}

/** Gaps timed besides the default (seconds). */
const SHORT_GAP_SECONDS = 0.2;

function timedOnce(inventory: string, knownHosts: string, extra: string[]): Promise<ToolRun> {
  return timedCli(['--once', '--json', '-i', inventory, '--known-hosts', knownHosts, ...extra]);
}

function timedCli(args: string[]): Promise<ToolRun> {
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, exitCode, stderrTail: stderr.trim().slice(-300) }));
  });
}

/**
 * A run with the CPU it cost: the client process(es), the fleet's sshd with
 * their sessions, and the whole machine's cores while it ran (busy and in
 * all), which says whether any core was left for a faster client.
 */
interface CpuRun extends ToolRun {
  clientCpuS: number;
  serverCpuS: number;
  machineBusyS: number;
  machineTotalS: number;
}

/** Lets sshd reap the sessions the client just closed before its CPU is read. */
const SESSION_REAP_MS = 500;

/** In every fleet sshd's command line (its config file), and in no client's. */
const sshdMarker = (fleet: Fleet) => join(fleet.dir, 'sshd-');

async function withCpu(fleet: Fleet, run: () => Promise<ToolRun>): Promise<CpuRun> {
  const client0 = reapedChildrenCpuSeconds();
  const server0 = processTreeCpuSeconds(sshdMarker(fleet));
  const machine0 = machineCpuSeconds();
  const result = await run();
  const machine = machineCpuSeconds();
  await new Promise((resolve) => setTimeout(resolve, SESSION_REAP_MS));
  return {
    ...result,
    clientCpuS: reapedChildrenCpuSeconds() - client0,
    serverCpuS: processTreeCpuSeconds(sshdMarker(fleet)) - server0,
    machineBusyS: machine.busyS - machine0.busyS,
    machineTotalS: machine.busyS + machine.idleS - machine0.busyS - machine0.idleS,
  };
}

const cpu = (r: CpuRun) =>
  `client ${r.clientCpuS.toFixed(2)} s, sshd ${r.serverCpuS.toFixed(2)} s; machine busy ${r.machineBusyS.toFixed(2)} of ${r.machineTotalS.toFixed(2)} core-s`;

/**
 * Logging in to every host and running one empty command there (a sample
 * needs at least that), in this warm process, as many at once as --once
 * does. --once pays at least this between its start (node loading baton:
 * `baton --version`) and its last host's first sample, the fleet's sshd,
 * sharing the cores, doing most of the work; then the gap.
 */
async function loginAndRun(fleet: Fleet, inventory: string): Promise<CpuRun> {
  const session = await openSession(benchSessionOptions(inventory, fleet.knownHostsFile));
  try {
    const client0 = process.cpuUsage();
    // The logins are timed; the CPU counts their teardown too, as it does for the tools (sshd's share is read once its sessions are reaped).
    const run = await withCpu(fleet, async () => {
      const started = performance.now();
      const loginAndRunOne = async (t: Transport) => {
        await t.connect();
        await t.run(':', { inline: true });
      };
      await Promise.all([...session.transports.values()].map(loginAndRunOne));
      const ms = performance.now() - started;
      await session.monitor.stop();
      return { ms, exitCode: 0, stderrTail: '' };
    });
    const client = process.cpuUsage(client0);
    return { ...run, clientCpuS: (client.user + client.system) / 1e6 };
  } finally {
    await session.monitor.stop();
  }
}

export async function runOnceBench(options: OnceBenchOptions): Promise<void> {
  const { log } = options;
  log('');
  log(`--once: baton --once --json (a process of its own, cold) beside one parallel-ssh -p ${options.parallelism} round, median of ${options.rounds}`);
  log('fleet  figure                                measured   pssh round  ratio    target      CPU (median run)');
  const cores = availableParallelism();
  for (const [hosts, target] of options.targets) {
    const fleet = await startFleet({ hosts, loginUser: options.loginUser });
    try {
      const inventory = join(fleet.dir, 'once.yaml');
      writeFileSync(inventory, fleet.inventoryYaml());
      const rounds = async (run: () => Promise<ToolRun>): Promise<{ ms: number; first: ToolRun; cpu: CpuRun }> => {
        const runs: CpuRun[] = [];
        for (let i = 0; i < options.rounds; i++) runs.push(await withCpu(fleet, run));
        const ms = median(runs.map((r) => r.ms));
        return { ms, first: runs.find((r) => r.exitCode !== 0) ?? runs[0]!, cpu: runs.find((r) => r.ms === ms) ?? runs[0]! };
      };
      const pssh = await rounds(() => runPssh(fleet, options.parallelism, HOST_PROBE_COMMAND));
      const figures: [string, string[]][] = [
        ['--once (default 1 s gap)', []],
        [`--once --sample-gap ${SHORT_GAP_SECONDS}`, ['--sample-gap', String(SHORT_GAP_SECONDS)]],
      ];
      for (const [name, extra] of figures) {
        const once = await rounds(() => timedOnce(inventory, fleet.knownHostsFile, extra));
        log(
          `${String(hosts).padEnd(7)}${name.padEnd(38)}${s(once.ms).padEnd(11)}${s(pssh.ms).padEnd(12)}${ratio(pssh.ms, once.ms).padEnd(9)}${`>= ${target}x ${verdict(pssh.ms / once.ms >= target)}`.padEnd(12)}` +
            `${cpu(once.cpu)}${toolNote(once.first)}${toolNote(pssh.first)}`,
        );
      }
      log(`${String(hosts).padEnd(7)}${'(pssh round)'.padEnd(38)}${''.padEnd(11)}${s(pssh.ms).padEnd(12)}${''.padEnd(21)}${cpu(pssh.cpu)}`);
      const logins: CpuRun[] = [];
      const starts: number[] = [];
      for (let i = 0; i < options.rounds; i++) {
        logins.push(await loginAndRun(fleet, inventory));
        starts.push((await timedCli(['--version'])).ms);
      }
      const loginMs = median(logins.map((r) => r.ms));
      const login = logins.find((r) => r.ms === loginMs) ?? logins[0]!;
      const startMs = median(starts);
      const floorMs = startMs + loginMs + SHORT_GAP_SECONDS * 1000;
      log(`${String(hosts).padEnd(7)}${'(start: baton --version)'.padEnd(38)}${s(startMs)}`);
      log(`${String(hosts).padEnd(7)}${'(log in, run `:` on every host)'.padEnd(38)}${s(loginMs).padEnd(11)}${''.padEnd(33)}${cpu(login)}`);
      log(
        `${String(hosts).padEnd(7)}${`floor: start + that + ${SHORT_GAP_SECONDS} s gap`.padEnd(38)}${s(floorMs).padEnd(11)}${s(pssh.ms).padEnd(12)}` +
          `${`<= ${ratio(pssh.ms, floorMs)}`} reachable on this machine (${cores} cores, the fleet's sshd on them)`,
      );
    } finally {
      await fleet.stop();
    }
  }
}
