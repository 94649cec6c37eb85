// What the deploy bench parts share: baton's own CLI and ansible-playbook run
// as an operator runs them (new processes, timed to their end), an INI
// inventory for Ansible written from the same hosts baton reaches, and the
// traffic generator the lab tests use, on HAProxy's frontend.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TrafficProbe } from '../../ops/drills/traffic-probe.js';
import { httpGet } from '../../ops/drills/traffic-request.js';
import { timed, type ToolRun } from './external-tools.js';

/** Requests per second on the frontend while a deploy runs, as in test/lab/deploy-*.test.ts. */
export const TRAFFIC_RATE = 40;

/** `baton ARGS` in a new process with its own state dir (journal, locks' records), timed to its end. */
export function runBatonCli(args: string[], stateDir: string): Promise<ToolRun> {
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  return timed(process.execPath, [cli, ...args], { ...process.env, XDG_STATE_HOME: stateDir });
}

export interface AnsibleHost {
  id: string;
  address: string;
  port: number;
  /** Host vars (INI `key=value`): plain values only. */
  vars?: Record<string, string>;
}

export interface AnsibleLogin {
  user: string;
  identityFile: string;
  knownHostsFile: string;
}

const PLAIN = /^[A-Za-z0-9_./:@+-]+$/;
const plain = (what: string, v: string): string => {
  if (!PLAIN.test(v)) throw new Error(`bench: ${what} ${JSON.stringify(v)} is not a plain INI value`);
  return v;
};

/** An INI inventory: a section per group, strict host keys from baton's own known_hosts, this machine's python. */
export function writeAnsibleInventory(file: string, groups: Record<string, readonly AnsibleHost[]>, login: AnsibleLogin): void {
  const lines: string[] = [];
  for (const [group, hosts] of Object.entries(groups)) {
    lines.push(`[${group}]`);
    for (const h of hosts) {
      const vars = Object.entries({ ansible_host: h.address, ansible_port: String(h.port), ...h.vars }).map(([k, v]) => `${k}=${plain(k, v)}`);
      lines.push(`${plain('host', h.id)} ${vars.join(' ')}`);
    }
  }
  lines.push(
    '[all:vars]',
    `ansible_user=${plain('user', login.user)}`,
    `ansible_ssh_private_key_file=${plain('identity', login.identityFile)}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${plain('known_hosts', login.knownHostsFile)} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'`,
    'ansible_python_interpreter=/usr/bin/python3',
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * ansible-playbook with `forks` at once and pipelining on (its fastest usual
 * settings, so the comparison is with Ansible at its best); a failed task's
 * output goes to stderr, whose end the run keeps.
 */
export function runAnsiblePlaybook(playbook: string, inventory: string, extraVars: Record<string, unknown>, forks: number): Promise<ToolRun> {
  return timed('ansible-playbook', ['-i', inventory, '-f', String(forks), '-e', JSON.stringify(extraVars), playbook], {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_DISPLAY_FAILED_STDERR: 'True',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
  });
}

export interface UnderTraffic {
  run: ToolRun;
  requests: number;
  failed: number;
  /** The first failures' details, for the report. */
  failures: string[];
}

/** `work` with TRAFFIC_RATE requests/s on `url` from 1 s before it to 1 s after. */
export async function underTraffic(url: string, work: () => Promise<ToolRun>): Promise<UnderTraffic> {
  const probe = new TrafficProbe({ name: 'frontend', http: url, rate: TRAFFIC_RATE, timeout: 2000, slow: 500 }, () => httpGet(url, 2000));
  const pause = () => new Promise((r) => setTimeout(r, 1000));
  probe.start();
  await pause();
  const run = await work();
  await pause();
  await probe.stop();
  const bad = probe.records.filter((r) => r.outcome !== 'ok');
  return { run, requests: probe.records.length, failed: bad.length, failures: [...new Set(bad.map((r) => r.detail ?? r.outcome))].slice(0, 3) };
}
