// Deploy figures on the lab: the rolling deploy v1 -> v2 of the web app
// (deploys/lab-rolling.yaml: serial 1, drained on both LBs, upload, switch,
// restart, health gate, ready) by `baton deploy run` and by the equivalent
// Ansible playbook (deploys/bench/ansible-rolling.yml: serial 1, drain and
// ready delegated to each LB with socat), each under the same traffic on
// lb1's frontend: wall time and failed requests. Ansible goes first, from
// v1; baton then rolls back to v1 (not timed), the release v2 is removed
// from the hosts so both upload it, and baton deploys v2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import type { HostSpec } from '../../inventory/types.js';
import { LAB_HAPROXY } from '../../lab/layout.js';
import { httpGet } from '../../ops/drills/traffic-request.js';
import { PACKAGE_ROOT } from '../../ui/config/paths.js';
import { benchSessionOptions } from './bench-session.js';
import { withBenchLab } from './bench-lab.js';
import { runAnsiblePlaybook, runBatonCli, underTraffic, writeAnsibleInventory, TRAFFIC_RATE, type UnderTraffic } from './deploy-bench-tools.js';
import { seconds, toolNote, verdict } from './figure-format.js';

const APP_PORT = 8080;
const PLAYBOOK = join(PACKAGE_ROOT, 'deploys', 'bench', 'ansible-rolling.yml');

export interface DeployLabFigures {
  baton: UnderTraffic;
  ansible: UnderTraffic;
}

const versions = (web: readonly HostSpec[]) => Promise.all(web.map(async (h) => (await httpGet(`http://${h.address}:${APP_PORT}/version`, 2000)).detail?.trim() ?? '?'));

async function expectVersions(web: readonly HostSpec[], want: string, after: string): Promise<void> {
  const seen = await versions(web);
  if (seen.some((v) => v !== want)) throw new Error(`bench invalid: after ${after} the web hosts serve ${seen.join(', ')}, not ${want} everywhere`);
}

export async function measureDeployLab(log: (line: string) => void): Promise<DeployLabFigures> {
  const state = mkdtempSync(join(tmpdir(), 'baton-bench-deploy-state-'));
  try {
    return await withBenchLab(
      'deploy',
      (inventory) => ({ ...benchSessionOptions(inventory, undefined), interval: 5 }),
      async (lab) => {
        const inv = lab.session.inventory;
        const web = (inv.groups.web ?? []).map((id) => inv.hosts.find((h) => h.id === id)!);
        const lbs = inv.hosts.filter((h) => h.roles.haproxy?.tcp);
        const lb1 = lbs[0]!;
        const frontend = `http://${lb1.address}:${LAB_HAPROXY.frontendPort}/version`;
        const root = String(web[0]!.vars.deploy_root);
        const ini = join(lab.dir, 'ansible.ini');
        const asAnsible = (h: HostSpec) => ({ id: h.id, address: h.address, port: h.port });
        writeAnsibleInventory(ini, { web: web.map(asAnsible), lb: lbs.map(asAnsible) }, { user: web[0]!.user, identityFile: web[0]!.identityFiles[0]!, knownHostsFile: inv.knownHostsFile! });
        const baton = (...args: string[]) => runBatonCli([...args, '--yes', '-i', lab.files.inventory], state);
        await expectVersions(web, 'v1', 'the lab started');

        log(`deploy: Ansible (ansible-rolling.yml, serial 1, forks ${web.length}, pipelining) v1 -> v2 under ${TRAFFIC_RATE} requests/s on ${frontend}...`);
        const lbAdmin = Object.fromEntries(lbs.map((h) => [h.id, h.roles.haproxy!.tcp!]));
        const ansible = await underTraffic(frontend, () => runAnsiblePlaybook(PLAYBOOK, ini, { version: 'v2', root, lbs: lbAdmin }, web.length));
        if (ansible.run.exitCode === 0) await expectVersions(web, 'v2', 'the Ansible run');

        log('deploy: baton deploy rollback lab-rolling --to v1 (not timed), releases/v2 removed from the web hosts...');
        const back = await baton('deploy', 'rollback', 'lab-rolling', '--to', 'v1');
        if (back.exitCode !== 0) throw new Error(`bench invalid: the rollback to v1 ended ${back.exitCode}${toolNote(back)}`);
        await expectVersions(web, 'v1', 'the rollback');
        await Promise.all(web.map((h) => lab.session.transports.get(h.id)!.exec(`rm -rf -- ${quote([`${root}/releases/v2`])}`, { timeoutMs: 10_000 })));

        log(`deploy: baton deploy run lab-rolling --release v2 under the same traffic...`);
        const baton2 = await underTraffic(frontend, () => baton('deploy', 'run', 'lab-rolling', '--release', 'v2'));
        if (baton2.run.exitCode === 0) await expectVersions(web, 'v2', "baton's deploy");
        return { baton: baton2, ansible };
      },
      false,
    );
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

/** The figures' lines: wall time, requests and failed ones for each, and the targets. */
export function deployLabLines(f: DeployLabFigures): string[] {
  const line = (name: string, r: UnderTraffic) => `  ${name.padEnd(9)}${seconds(r.run.ms).padStart(9)}   ${String(r.requests).padStart(8)}   ${String(r.failed).padStart(6)}${r.failures.length ? ` (${r.failures.join('; ')})` : ''}${toolNote(r.run)}`;
  const ok = f.baton.run.exitCode === 0;
  return [
    '  tool          wall   requests   failed',
    line('baton', f.baton),
    line('Ansible', f.ansible),
    `  baton: 0 failed requests ${verdict(ok && f.baton.failed === 0)}; wall <= Ansible's ${verdict(ok && f.baton.run.ms <= f.ansible.run.ms)} (${(f.ansible.run.ms / f.baton.run.ms).toFixed(1)}x)`,
  ];
}
