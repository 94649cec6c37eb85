// `baton lab deps`: installs the Debian packages the lab runs on (as root),
// or prints the exact command to do it.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { labPackages, missingBinaries } from '../../lab/debian-packages.js';
import type { LabExtras } from '../../lab/layout.js';
import { labError } from './lab-errors.js';

// invoke-rc.d asks this script before a package starts its service; exit 101
// means "forbidden". The lab runs its own daemons on loopback, and Debian's
// would listen on every interface (nginx on :80, rabbitmq-server and epmd).
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** Runs `install` with Debian's service starts forbidden; a policy already in place (Docker images ship one) is kept. */
function withoutServiceStarts(install: () => void): void {
  if (existsSync(POLICY_RC_D)) return install();
  writeFileSync(POLICY_RC_D, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    install();
  } finally {
    rmSync(POLICY_RC_D, { force: true });
  }
}

/** extras: the optional services (`--with`) whose packages to add. */
export function runLabDeps(extras: LabExtras = {}): number {
  const missing = missingBinaries(undefined, extras);
  if (missing.length === 0) {
    process.stdout.write(`every lab tool is installed (packages: ${labPackages(extras).join(' ')})\n`);
    return 0;
  }
  const packages = [...new Set(missing.map((m) => m.package))].sort();
  process.stdout.write(`missing: ${missing.map((m) => `${m.binary} (${m.package})`).join(', ')}\n`);
  if (process.getuid?.() !== 0) {
    process.stdout.write(`run as root:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}\n`);
    return 1;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = (...args: string[]) => {
    process.stdout.write(`+ apt-get ${args.join(' ')}\n`);
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw labError(`apt-get ${args[0]} failed (${r.error?.message ?? `exit code ${r.status}`})`);
  };
  aptGet('update');
  withoutServiceStarts(() => aptGet('install', '-y', '--no-install-recommends', ...packages));
  const still = missingBinaries(undefined, extras);
  if (still.length) throw labError(`still missing after apt-get: ${still.map((m) => m.binary).join(', ')}`);
  process.stdout.write('every lab tool is installed\n');
  return 0;
}
