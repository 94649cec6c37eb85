// `baton lab deps`: installs the Debian packages the lab runs on (as root),
// or prints the exact command to do it.
import { spawnSync } from 'node:child_process';
import { labPackages, missingBinaries } from '../../lab/debian-packages.js';
import { labError } from './lab-errors.js';

export function runLabDeps(): number {
  const missing = missingBinaries();
  if (missing.length === 0) {
    process.stdout.write(`every lab tool is installed (packages: ${labPackages().join(' ')})\n`);
    return 0;
  }
  const packages = [...new Set(missing.map((m) => m.package))].sort();
  process.stdout.write(`missing: ${missing.map((m) => `${m.binary} (${m.package})`).join(', ')}\n`);
  if (process.getuid?.() !== 0) {
    process.stdout.write(`run as root:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}\n`);
    return 1;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
    process.stdout.write(`+ apt-get ${args.join(' ')}\n`);
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw labError(`apt-get ${args[0]} failed (${r.error?.message ?? `exit code ${r.status}`})`);
  }
  const still = missingBinaries();
  if (still.length) throw labError(`still missing after apt-get: ${still.map((m) => m.binary).join(', ')}`);
  process.stdout.write('every lab tool is installed\n');
  return 0;
}
