import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBaton } from '../../../src/inventory/load-baton.js';
import { SshConfig } from '../../../src/inventory/ssh-config.js';
import { allDeploys, findDeploy, listDeploys, loadDeployFile, parseDeploy, parseInventoryDeploys } from '../../../src/ops/deploy/load-deploy.js';

const base = (stages: string, extra = '') => `name: web
targets: group=web
release: { version: v2, from: "../releases/{version}" }
${extra}stages:
${stages}`;

const errorsOf = (text: string) => {
  const r = parseDeploy('d.yaml', text);
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => e.message);
};

describe('deploy files', () => {
  it('loads a pipeline and orders the stages by needs', () => {
    const r = parseDeploy('d.yaml', base(`  - { name: ready, builtin: lb-ready, needs: [link] }
  - { name: upload, builtin: upload }
  - { name: link, builtin: link, needs: [upload] }
`));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.order.map((i) => r.deploy.stages[i]!.name)).toEqual(['upload', 'link', 'ready']);
  });

  it('a cycle is an error at the needs line', () => {
    const errors = errorsOf(base(`  - { name: upload, builtin: upload }
  - name: link
    builtin: link
    needs: [ready]
  - name: ready
    builtin: lb-ready
    needs: [link]
`));
    expect(errors).toEqual([expect.stringMatching(/^d\.yaml:\d+:\d+: .*cycle: (link -> ready -> link|ready -> link -> ready)/)]);
    expect(errors[0]).toMatch(/^d\.yaml:(8|11):/);
  });

  it('an unknown needs is an error at its line and column, with a suggestion', () => {
    const errors = errorsOf(base(`  - { name: upload, builtin: upload }
  - { name: link, builtin: link, needs: [uplaod] }
`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^d\.yaml:6:42: stages\[1\]\.needs\[0\]: needs uplaod, which is no stage/);
  });

  it('a missing link stage (the commit point) is an error', () => {
    const errors = errorsOf(base(`  - { name: upload, builtin: upload }
`));
    expect(errors[0]).toMatch(/^d\.yaml:5:3: stages: a deploy needs a stage with builtin: link/);
  });

  it('unknown keys and bad values name their place', () => {
    const errors = errorsOf(base(`  - { name: link, builtin: link, retires: 2 }
`, 'strategy: { kind: rolling, serial: "25 percent" }\n'));
    expect(errors.some((e) => /^d\.yaml:6:\d+: unknown key.*\(did you mean retries\?\)|retries/.test(e))).toBe(true);
    expect(errors.some((e) => /^d\.yaml:4:\d+: .*percentage/.test(e))).toBe(true);
  });
});

describe('shipped deploy files', () => {
  it('every file in deploys/ loads', () => {
    const loads = listDeploys(join(import.meta.dirname, '../../../deploys'));
    expect(loads.map((l) => (l.ok ? l.deploy.name : l.errors.map((e) => e.message).join('; ')))).toEqual(['lab-blue-green', 'lab-canary', 'lab-rolling']);
  });
});

describe("an inventory's deploys: key", () => {
  const inventory = (deploys: string) => `hosts:
  web1: { address: 127.0.0.1 }
deploys:
${deploys}`;
  const good = `  web-rolling:
    targets: group=web
    release: { version: v2, from: "../deploys/releases/{version}" }
    stages:
      - { name: upload, builtin: upload }
      - { name: switch, builtin: link, needs: [upload] }
`;

  it('loads each entry as a deploy named by its key, addressed INVENTORY#NAME; the inventory itself accepts the key', () => {
    const [d, ...rest] = parseInventoryDeploys('inv.yaml', inventory(good));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ ok: true, file: 'inv.yaml#web-rolling', deploy: { name: 'web-rolling', targets: 'group=web', strategy: { kind: 'rolling' } } });
    expect(loadBaton(inventory(good), 'inv.yaml', new SshConfig('(none)')).hosts.map((h) => h.id)).toEqual(['web1']);
  });

  it('a broken entry is an error at its line and column in the inventory, and hides no other entry', () => {
    const loads = parseInventoryDeploys('inv.yaml', inventory(`  broken:
    targets: group=web
    release: { version: v2, fetch: "true" }
    stages:
      - { name: upload, builtin: upload }
      - { name: switch, builtin: link, needs: [uplaod], retires: 2 }
${good}`));
    expect(loads.map((l) => l.ok)).toEqual([false, true]);
    const messages = loads[0]!.ok ? [] : loads[0]!.errors.map((e) => e.message);
    expect(messages).toEqual([expect.stringMatching(/^inv\.yaml:9:57: deploys\.broken\.stages\[1\]\.retires: unknown key; expected one of name, command/)]);
    const fixed = parseInventoryDeploys('inv.yaml', inventory(`  broken:
    targets: group=web
    release: { version: v2, fetch: "true" }
    stages:
      - { name: upload, builtin: upload }
      - { name: switch, builtin: link, needs: [uplaod] }
`));
    expect(fixed[0]!.ok ? [] : fixed[0]!.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^inv\.yaml:9:48: deploys\.broken\.stages\[1\]\.needs\[0\]: needs uplaod, which is no stage/)]);
  });

  it('a name: inside, a bad key and a cycle are errors where they are written', () => {
    const loads = parseInventoryDeploys('inv.yaml', inventory(`  Web:
    targets: all
  named:
    name: other
  cyclic:
    targets: all
    release: { fetch: "true" }
    stages:
      - { name: switch, builtin: link, needs: [switch] }
`));
    expect(loads.map((l) => (l.ok ? 'ok' : l.errors.map((e) => e.message).join('; ')))).toEqual([
      expect.stringMatching(/^inv\.yaml:4:3: deploys\.Web: expected a lower-case deploy name/),
      expect.stringMatching(/^inv\.yaml:7:5: deploys\.named\.name: an inventory's deploy is named by its key/),
      expect.stringMatching(/^inv\.yaml:12:\d+: deploys\.cyclic\.stages\[0\]\.needs: the stages' needs form a cycle: switch -> switch/),
    ]);
  });

  it('is listed after the deploy files, found by name or INVENTORY#NAME; a name a file has is an error at the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-deploys-'));
    try {
      writeFileSync(join(dir, 'web.yaml'), base('  - { name: link, builtin: link }\n'));
      mkdirSync(join(dir, 'inventories'));
      const inv = join(dir, 'inventories', 'inv.yaml');
      writeFileSync(inv, inventory(`${good}  web:\n    targets: all\n`));
      const all = allDeploys(dir, inv);
      expect(all.map((l) => [l.file, l.ok])).toEqual([[join(dir, 'web.yaml'), true], [`${inv}#web-rolling`, true], [`${inv}#web`, false]]);
      const clash = all[2]!;
      expect(clash.ok ? '' : clash.errors[0]!.message).toBe(`${inv}:10:3: deploys.web: deploy web is also ${join(dir, 'web.yaml')}: rename one of them`);
      expect(findDeploy('web', dir, inv)).toMatchObject({ ok: false, file: `${inv}#web` });
      expect(findDeploy('web-rolling', dir, inv)).toMatchObject({ ok: true, deploy: { name: 'web-rolling' } });
      expect(findDeploy('web-rolling', dir)).toBeUndefined();
      expect(loadDeployFile(`${inv}#web-rolling`)).toMatchObject({ ok: true, file: `${inv}#web-rolling`, deploy: { name: 'web-rolling' } });
      expect(loadDeployFile(`${inv}#nope`)).toMatchObject({ ok: false, errors: [expect.objectContaining({ message: expect.stringMatching(/no deploy nope under deploys:/) })] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
