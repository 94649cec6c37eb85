// `baton --once --json` as a cron job runs it (its own process, cold
// connections, two samples per host), timed beside one parallel-ssh round
// of the same probe on the same fleet, at each fleet size.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFleet } from '../../lab/sshd-fleet.js';
import { HOST_PROBE_COMMAND } from '../../probes/host.js';
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
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--once', '--json', '-i', inventory, '--known-hosts', knownHosts, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, exitCode, stderrTail: stderr.trim().slice(-300) }));
  });
}

export async function runOnceBench(options: OnceBenchOptions): Promise<void> {
  const { log } = options;
  log('');
  log(`--once: baton --once --json (a process of its own, cold) beside one parallel-ssh -p ${options.parallelism} round, median of ${options.rounds}`);
  log('fleet  figure                                measured   pssh round  ratio    target');
  for (const [hosts, target] of options.targets) {
    const fleet = await startFleet({ hosts, loginUser: options.loginUser });
    try {
      const inventory = join(fleet.dir, 'once.yaml');
      writeFileSync(inventory, fleet.inventoryYaml());
      const rounds = async (run: () => Promise<ToolRun>): Promise<{ ms: number; first: ToolRun }> => {
        const runs: ToolRun[] = [];
        for (let i = 0; i < options.rounds; i++) runs.push(await run());
        return { ms: median(runs.map((r) => r.ms)), first: runs.find((r) => r.exitCode !== 0) ?? runs[0]! };
      };
      const pssh = await rounds(() => runPssh(fleet, options.parallelism, HOST_PROBE_COMMAND));
      const figures: [string, string[]][] = [
        ['--once (default 1 s gap)', []],
        [`--once --sample-gap ${SHORT_GAP_SECONDS}`, ['--sample-gap', String(SHORT_GAP_SECONDS)]],
      ];
      for (const [name, extra] of figures) {
        const once = await rounds(() => timedOnce(inventory, fleet.knownHostsFile, extra));
        log(
          `${String(hosts).padEnd(7)}${name.padEnd(38)}${s(once.ms).padEnd(11)}${s(pssh.ms).padEnd(12)}${ratio(pssh.ms, once.ms).padEnd(9)}>= ${target}x ${verdict(pssh.ms / once.ms >= target)}` +
            `${toolNote(once.first)}${toolNote(pssh.first)}`,
        );
      }
    } finally {
      await fleet.stop();
    }
  }
}
