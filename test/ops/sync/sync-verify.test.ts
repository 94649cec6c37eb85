// Verify re-reads only the planned files: the command run by a real shell
// here, its sha256sum output parsed; a missing file has no hash, names with
// spaces, quotes or a leading dash are hashed as named, a one-file set too.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlannedHashes, plannedHashesCommand } from '../../../src/ops/sync/tree-manifest.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-sync-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const run = (command: string) => execFileSync('sh', ['-c', command], { encoding: 'utf8' });

describe('verify: only the planned files re-hashed', () => {
  it('hashes the listed files, none other; a missing one has no hash', () => {
    mkdirSync(join(dir, 'tree/sub'), { recursive: true });
    writeFileSync(join(dir, 'tree/a.cfg'), 'a\n');
    writeFileSync(join(dir, 'tree/sub/-odd name\'s.txt'), 'odd\n');
    writeFileSync(join(dir, 'tree/unplanned'), 'not asked\n');
    const rels = ['a.cfg', 'sub/-odd name\'s.txt', 'gone.cfg'];
    const got = parsePlannedHashes(run(plannedHashesCommand(join(dir, 'tree'), rels)), false);
    expect(Object.fromEntries(got)).toEqual({ 'a.cfg': sha('a\n'), 'sub/-odd name\'s.txt': sha('odd\n') });
  });

  it('a one-file set: the path itself, under the rel ""; absent: nothing', () => {
    writeFileSync(join(dir, 'motd'), 'hello\n');
    expect(Object.fromEntries(parsePlannedHashes(run(plannedHashesCommand(join(dir, 'motd'), [''])), true))).toEqual({ '': sha('hello\n') });
    expect(parsePlannedHashes(run(plannedHashesCommand(join(dir, 'nothing'), [''])), true).size).toBe(0);
  });

  it('a directory that is not there: no hashes, no failure', () => {
    expect(parsePlannedHashes(run(plannedHashesCommand(join(dir, 'no-dir'), ['x'])), false).size).toBe(0);
  });
});
