// The `deploy` part of `baton bench`: the lab's rolling deploy against the
// Ansible playbook under traffic (deploy-lab-bench.ts), then a 50-host
// rolling deploy on the sshd fleet against Ansible (deploy-fleet-bench.ts).
// The lab part starts a lab: run it under the lab lock.
import { execFileSync } from 'node:child_process';
import { deployFleetLines, measureDeployFleet } from './deploy-fleet-bench.js';
import { deployLabLines, measureDeployLab } from './deploy-lab-bench.js';

export const DEPLOY_FLEET_HOSTS = 50;

export async function runDeployBench(options: { loginUser: string | undefined; log(line: string): void }): Promise<void> {
  const { log } = options;
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
  } catch {
    throw Object.assign(new Error('the deploy part needs ansible-playbook'), { hint: 'install it: bash test/install-deps.sh (Debian: ansible-core)' });
  }
  log('');
  log('deploy: starting the lab (rolling v1 -> v2 of the web app, baton against Ansible, the same traffic)...');
  for (const line of deployLabLines(await measureDeployLab(log))) log(line);
  log('');
  log(`deploy: ${DEPLOY_FLEET_HOSTS} real sshd hosts, a small release rolled 25 % at a time...`);
  for (const line of deployFleetLines(await measureDeployFleet({ hosts: DEPLOY_FLEET_HOSTS, loginUser: options.loginUser, log }))) log(line);
}
