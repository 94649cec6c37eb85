// The built CLI writing more than a pipe holds (64 KiB on Linux) into a
// reader that is slower than it: nothing may be lost when baton exits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'baton-pipe-'));
const big = join(dir, 'big.yaml');
const LONG = 'v'.repeat(200);
// 4,000 hosts with five 200-character tags: about 5.7 MB of JSON.
writeFileSync(
  big,
  ['hosts:', '  "node[0001-4000]":', '    address: "10.43.[0-15].[1-250]"', '    tags:', ...[0, 1, 2, 3, 4].map((k) => `      t${k}: ${LONG}`), ''].join('\n'),
);

/** `baton ...` with its stdout read through `cat`, as a script's pipe would. */
function throughCat(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  // $? of the pipeline is cat's; PIPESTATUS is bash's, so sh reports baton's own through a file.
  const r = spawnSync('/bin/sh', ['-c', `{ ${quoted}; echo $? > '${dir}/rc'; } | cat`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  return { code: Number(readFileSync(join(dir, 'rc'), 'utf8')), stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('output through a pipe', () => {
  it('`hosts --json` gives every byte of a multi-megabyte inventory', async () => {
    const expected = JSON.stringify(await loadInventory(big), null, 2) + '\n';
    expect(expected.length).toBeGreaterThan(4_000_000);
    const r = throughCat(['hosts', '--json', '-i', big]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(expected.length);
    expect(r.stdout === expected).toBe(true);
  });

  it('`hosts` as text gives the same bytes through a pipe as into a file', () => {
    const file = join(dir, 'hosts.txt');
    const direct = spawnSync('/bin/sh', ['-c', `'${process.execPath}' '${CLI}' hosts -i '${big}' > '${file}'`], { timeout: 60_000 });
    expect(direct.status).toBe(0);
    const expected = readFileSync(file, 'utf8');
    expect(expected.length).toBeGreaterThan(1_000_000);
    const r = throughCat(['hosts', '-i', big]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(expected.length);
    expect(r.stdout === expected).toBe(true);
  });
});
