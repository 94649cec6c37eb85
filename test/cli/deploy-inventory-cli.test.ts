// `baton deploy list` and `baton deploy run NAME` with a deploy under the
// inventory's deploys: key (the built CLI; npm run build first): listed
// after the files, planned by name, a name clash refused at its line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'baton-deploy-inv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const root = join(dir, 'web1');
mkdirSync(join(root, 'releases'), { recursive: true });
const inventory = join(dir, 'inv.yaml');
writeFileSync(
  inventory,
  `hosts:
  web1: { transport: local, vars: { deploy_root: ${JSON.stringify(root)} } }
deploys:
  inline-web:
    targets: all
    release: { version: v2, fetch: "true" }
    stages:
      - { name: upload, builtin: upload }
      - { name: switch, builtin: link, needs: [upload] }
  lab-rolling:
    targets: all
`,
);
const baton = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir }, timeout: 60_000 });

describe('deploys under the inventory', () => {
  it('deploy list -i shows them after the files; a name a shipped file has is an error at its key (exit 1)', () => {
    const r = baton('deploy', 'list', '-i', inventory, '--json');
    expect(r.status).toBe(1);
    const rows = JSON.parse(r.stdout) as Array<{ name?: string; file: string; valid: boolean; errors?: string[] }>;
    expect(rows.filter((x) => x.file.startsWith(inventory))).toEqual([
      { name: 'inline-web', file: `${inventory}#inline-web`, strategy: 'rolling', targets: 'all', valid: true },
      { file: `${inventory}#lab-rolling`, valid: false, errors: [expect.stringMatching(new RegExp(`^${inventory}:10:3: deploys\\.lab-rolling: deploy lab-rolling is also .*/deploys/lab-rolling\\.yaml`))] },
    ]);
  });

  it('deploy run NAME -i --plan plans it on the inventory\'s hosts; INV#NAME names it too; the clash is refused with its line', () => {
    for (const name of ['inline-web', `${inventory}#inline-web`]) {
      const r = baton('deploy', 'run', name, '--plan', '-i', inventory);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/deploy inline-web v2 to web1 in 1 batch/);
    }
    const clash = baton('deploy', 'run', 'lab-rolling', '--plan', '-i', inventory);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toMatch(new RegExp(`${inventory}:10:3: deploys\\.lab-rolling: deploy lab-rolling is also`));
  });
});
