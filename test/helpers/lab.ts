// A whole lab for integration tests, started the way users start it: the
// built CLI's `baton lab up` (a detached supervisor) in a temp dir. Needs
// `npm run build` first (npm test does it). Call down() in afterAll: it also
// runs when a test failed, and sweeps whatever the lab left behind.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabStatus } from '../../src/lab/control-socket.js';
import { labFiles } from '../../src/lab/lab-paths.js';
import { labHosts } from '../../src/lab/layout.js';
import { sweepLeftovers } from '../../src/lab/leftovers.js';

export const BATON_CLI = join(import.meta.dirname, '../../dist/cli/main.js');

export interface TestLab {
  dir: string;
  files: ReturnType<typeof labFiles>;
  /** Wall time of `baton lab up`, ms. */
  upMs: number;
  upOutput: string;
  /** Runs `baton lab ARGS --dir DIR`. */
  baton(...args: string[]): { code: number | null; stdout: string; stderr: string };
  status(): LabStatus;
  /** Real OpenSSH client with the lab's key and known_hosts, strict host key checking. */
  ssh(host: string, command: string, input?: string): SpawnSyncReturns<string>;
  /** `baton lab down`, then removes the temp dir; returns down's output. */
  down(): Promise<string>;
}

function run(args: string[], timeoutMs = 60_000) {
  const r = spawnSync(process.execPath, [BATON_CLI, ...args], { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** with: optional services, e.g. ['rabbitmq'] (`lab up --with rabbitmq`). */
export async function startTestLab(options: { hosts?: number; with?: string[] } = {}): Promise<TestLab> {
  if (!existsSync(BATON_CLI)) throw new Error(`${BATON_CLI} is missing: run npm run build first`);
  const dir = await mkdtemp(join(tmpdir(), 'baton-lab-'));
  const files = labFiles(dir);
  const baton = (...args: string[]) => run(['lab', ...args, '--dir', dir], args[0] === 'up' ? 120_000 : 60_000);
  let downOutput: string | undefined;
  const login = { port: 0, user: '' };
  const lab: TestLab = {
    dir,
    files,
    upMs: 0,
    upOutput: '',
    baton,
    status() {
      const r = baton('status', '--json');
      if (r.code !== 0 && r.code !== 2) throw new Error(`lab status failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout) as LabStatus;
    },
    ssh(host, command, input) {
      const address = labHosts(options.hosts).find((h) => h.id === host)?.address ?? host;
      const sshOptions = [`UserKnownHostsFile=${files.knownHosts}`, 'GlobalKnownHostsFile=/dev/null', 'StrictHostKeyChecking=yes', 'BatchMode=yes', 'IdentitiesOnly=yes', 'ConnectTimeout=5'];
      return spawnSync('ssh', ['-i', files.identity, ...sshOptions.flatMap((o) => ['-o', o]), '-p', String(login.port), `${login.user}@${address}`, command], {
        encoding: 'utf8',
        timeout: 20_000,
        input,
      });
    },
    async down() {
      if (downOutput === undefined) {
        const r = baton('down');
        downOutput = r.stdout + r.stderr;
        // Belt and braces for a failed test run: nothing of this lab may outlive the tests.
        await sweepLeftovers(dir);
        await rm(dir, { recursive: true, force: true });
      }
      return downOutput;
    },
  };
  const started = Date.now();
  const up = baton('up', ...(options.hosts ? ['--hosts', String(options.hosts)] : []), ...(options.with?.length ? ['--with', ...options.with] : []));
  lab.upMs = Date.now() - started;
  lab.upOutput = up.stdout + up.stderr;
  if (up.code !== 0) {
    await lab.down();
    throw new Error(`baton lab up failed (${up.code}):\n${lab.upOutput}`);
  }
  const st = lab.status();
  login.port = st.sshPort;
  login.user = st.user;
  return lab;
}
