// Deploy figures on a fleet of real sshd hosts: a small release (a version
// file and a restart script) rolled 25 % at a time over every host, each
// with a deploy root of its own, by `baton deploy run` (the deploy written
// under the generated inventory's deploys: key) and by the equivalent
// Ansible playbook (deploys/bench/ansible-fleet-rolling.yml): upload,
// switch `current`, restart, health gate; no LB. Wall time of each and the
// ratio. Ansible goes first; the hosts are then put back on v1 (not timed).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startFleet, type Fleet } from '../../lab/sshd-fleet.js';
import { resolveAmount } from '../../ops/deploy/serial-batches.js';
import { PACKAGE_ROOT } from '../../ui/config/paths.js';
import { runAnsiblePlaybook, runBatonCli, writeAnsibleInventory } from './deploy-bench-tools.js';
import type { ToolRun } from './external-tools.js';
import { ratio, seconds, toolNote, verdict } from './figure-format.js';

export const FLEET_FIRST_ADDRESS = '127.0.22.1';
const PLAYBOOK = join(PACKAGE_ROOT, 'deploys', 'bench', 'ansible-fleet-rolling.yml');
const PERCENT = 25;
const SERIAL = `${PERCENT}%`;

export interface DeployFleetOptions {
  hosts: number;
  loginUser: string | undefined;
  log(line: string): void;
}

export interface DeployFleetFigures {
  hosts: number;
  baton: ToolRun;
  ansible: ToolRun;
}

/** The restart a release ships: the release `current` names becomes the running one. */
const RESTART = `#!/bin/sh
# $1: the deploy root. The running version is written by rename, as a service's pid file would be.
cat "$1/current/version" > "$1/running.tmp" && mv "$1/running.tmp" "$1/running"
`;

function writeRelease(dir: string, version: string): void {
  mkdirSync(join(dir, version, 'bin'), { recursive: true });
  writeFileSync(join(dir, version, 'version'), `${version}\n`);
  writeFileSync(join(dir, version, 'bin', 'restart'), RESTART, { mode: 0o755 });
}

/** A host's deploy root on v1, running v1, as before either deploy. */
function resetHost(root: string, releases: string, loginUser: string | undefined): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'releases'), { recursive: true });
  execFileSync('cp', ['-a', join(releases, 'v1'), join(root, 'releases', 'v1')]);
  symlinkSync('releases/v1', join(root, 'current'));
  writeFileSync(join(root, 'running'), 'v1\n');
  if (loginUser) execFileSync('chown', ['-R', `${loginUser}:`, root]);
}

/** Every host on v2 (current and running), else the figure measured something else. */
function checkHosts(roots: readonly string[], after: string): void {
  const wrong = roots.filter((r) => readlinkSync(join(r, 'current')) !== 'releases/v2' || readFileSync(join(r, 'running'), 'utf8').trim() !== 'v2');
  if (wrong.length) throw new Error(`bench invalid: after ${after}, ${wrong.length} host(s) not on v2 (${wrong[0]})`);
}

function batonInventory(fleet: Fleet, rootOf: (id: string) => string, releases: string): Record<string, unknown> {
  const hosts = Object.fromEntries(fleet.hosts.map((h) => [h.id, { address: h.address, port: h.port, user: fleet.user, identity: [fleet.identityFile], vars: { deploy_root: rootOf(h.id) } }]));
  const deploy = {
    targets: 'all',
    release: { version: 'v2', from: `${releases}/{version}` },
    keep: 3,
    strategy: { kind: 'rolling', serial: SERIAL },
    stages: [
      { name: 'upload', builtin: 'upload' },
      { name: 'switch', builtin: 'link', needs: ['upload'] },
      { name: 'restart', command: 'sh "$DEPLOY_TO/current/bin/restart" "$DEPLOY_TO"', needs: ['switch'] },
      { name: 'health', builtin: 'health', needs: ['restart'], health: { command: '[ "$(cat "$DEPLOY_TO/running")" = "$VERSION" ]', consecutive: 1, within: '15s' } },
    ],
  };
  return { knownHosts: fleet.knownHostsFile, hosts, deploys: { 'fleet-rolling': deploy } };
}

export async function measureDeployFleet(options: DeployFleetOptions): Promise<DeployFleetFigures> {
  const { log } = options;
  const work = mkdtempSync(join(tmpdir(), 'baton-bench-deploy-fleet-'));
  chmodSync(work, 0o755);
  const ids = Array.from({ length: options.hosts }, (_, i) => `d${String(i + 1).padStart(3, '0')}`);
  const rootOf = (id: string) => join(work, 'hosts', id);
  const releases = join(work, 'releases');
  let fleet: Fleet | undefined;
  try {
    writeRelease(releases, 'v1');
    writeRelease(releases, 'v2');
    for (const id of ids) resetHost(rootOf(id), releases, options.loginUser);
    fleet = await startFleet({ hosts: options.hosts, firstAddress: FLEET_FIRST_ADDRESS, loginUser: options.loginUser, ids });
    const inventory = join(work, 'fleet.yaml');
    writeFileSync(inventory, stringify(batonInventory(fleet, rootOf, releases)));
    const ini = join(work, 'fleet.ini');
    writeAnsibleInventory(ini, { fleet: fleet.hosts.map((h) => ({ id: h.id, address: h.address, port: h.port, vars: { root: rootOf(h.id) } })) }, { user: fleet.user, identityFile: fleet.identityFile, knownHostsFile: fleet.knownHostsFile });
    const roots = ids.map(rootOf);

    log(`deploy: Ansible (ansible-fleet-rolling.yml, serial ${SERIAL}, forks ${options.hosts}, pipelining) v1 -> v2 on ${options.hosts} sshd hosts...`);
    const ansible = await runAnsiblePlaybook(PLAYBOOK, ini, { version: 'v2', release: releases }, options.hosts);
    if (ansible.exitCode === 0) checkHosts(roots, 'the Ansible run');
    for (const id of ids) resetHost(rootOf(id), releases, options.loginUser);

    log(`deploy: baton deploy run fleet-rolling (the inventory's deploys: key, serial ${SERIAL}) v1 -> v2...`);
    const state = join(work, 'state');
    const baton = await runBatonCli(['deploy', 'run', 'fleet-rolling', '--release', 'v2', '--yes', '-i', inventory], state);
    if (baton.exitCode === 0) checkHosts(roots, "baton's deploy");
    return { hosts: options.hosts, baton, ansible };
  } finally {
    await fleet?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export function deployFleetLines(f: DeployFleetFigures): string[] {
  const ok = f.baton.exitCode === 0 && f.ansible.exitCode === 0;
  return [
    `  baton    ${seconds(f.baton.ms).padStart(9)}${toolNote(f.baton)}`,
    `  Ansible  ${seconds(f.ansible.ms).padStart(9)}${toolNote(f.ansible)}`,
    `  Ansible / baton: ${ratio(f.ansible.ms, f.baton.ms)}; wall <= Ansible's ${verdict(ok && f.baton.ms <= f.ansible.ms)}`,
    `  ${SERIAL} of ${f.hosts} hosts a batch: baton rounds up (${resolveAmount(SERIAL, f.hosts)}), Ansible down (${Math.max(1, Math.floor((f.hosts * PERCENT) / 100))})`,
  ];
}
