// YAML anchors and aliases in an inventory: shared freely, but a file whose
// aliases would expand without bound, loop or point nowhere is an error at
// the alias, naming the file like every other inventory error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { loadInventory } from '../../src/inventory/load.js';
import { SshConfig } from '../../src/inventory/ssh-config.js';
import { asyncErrorsOf, errorsOf, located } from './helpers.js';

const FILE = 'inventories/lab.yaml';
const none = new SshConfig('(none)');
const failures = (text: string) => located(errorsOf(() => loadBaton(text, FILE, none)));

const dir = mkdtempSync(join(tmpdir(), 'baton-yaml-aliases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Nine levels of nine aliases each: 9^9 values once expanded, from a few hundred bytes. */
const BILLION_LAUGHS = [
  'vars: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const previous = 'abcdefghi'[i]!;
    return `x${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
  }),
  'hosts:',
  '  web1: {}',
  '',
].join('\n');

describe('YAML aliases in a baton inventory', () => {
  it('refuses a billion-laughs file at the alias that passes the limit, naming the file', async () => {
    const started = Date.now();
    expect(failures(BILLION_LAUGHS)).toEqual([
      `${FILE}:7:9: alias *f takes the document past 1,000,000 values once aliases are expanded (nested aliases: a "billion laughs")`,
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, BILLION_LAUGHS);
    const errors = await asyncErrorsOf(() => loadInventory(file));
    expect(errors.message).toMatch(new RegExp(`^${file}:7:9: alias \\*f .*\n  next: share settings with one level of anchors`));
  });

  it('lets one anchor be merged into many hosts', () => {
    const hosts = Array.from({ length: 300 }, (_, i) => `  h${i}: { <<: *common, address: 10.0.${i >> 8}.${i & 255} }`);
    const inventory = loadBaton(['defaults: &common { port: 2200, user: ops }', 'hosts:', ...hosts, ''].join('\n'), FILE, none);
    expect(inventory.hosts).toHaveLength(300);
    expect(inventory.hosts[299]).toMatchObject({ port: 2200, user: 'ops', address: '10.0.1.43' });
  });

  it('places an alias with no anchor and one inside its own anchor', () => {
    expect(failures('hosts:\n  a: *nope\n')).toEqual([`${FILE}:2:6: alias *nope has no anchor &nope before it`]);
    expect(failures('hosts:\n  a: &x\n    vars: { v: *x }\n')).toEqual([`${FILE}:3:16: alias *x inside its own anchor &x`]);
  });

  it('names the file when the YAML cannot become values', async () => {
    const file = join(dir, 'merge.yaml');
    writeFileSync(file, 'hosts:\n  a: { <<: 5 }\n');
    const errors = await asyncErrorsOf(() => loadInventory(file));
    expect(errors.message).toBe(`${file}: YAML: Merge sources must be maps or map aliases`);
  });
});
