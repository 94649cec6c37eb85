// The real one-node cluster's files, checked by the real tools: corosync's
// own configuration test and Pacemaker's CIB verifier.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corosyncConf, isSoloCib, seedCib, SOLO_RESOURCE } from '../../src/lab/corosync/solo-cluster-files.js';
import { initialCib } from '../../src/lab/pacemaker/cluster-definition.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-solo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the one-node cluster files', () => {
  it('corosync accepts its configuration (corosync -t)', () => {
    const conf = join(dir, 'corosync.conf');
    writeFileSync(conf, corosyncConf(join(dir, 'corosync.log')));
    const r = spawnSync('corosync', ['-t', '-c', conf], { encoding: 'utf8' });
    expect(r.stderr + r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('Pacemaker accepts the first CIB, with the Dummy state file quoted into it (crm_verify)', () => {
    const cib = join(dir, 'cib.xml');
    writeFileSync(cib, seedCib('/srv/lab dir/"odd" & <name>.state'));
    const r = spawnSync('crm_verify', ['--xml-file', cib], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(seedCib('/x.state')).toContain(`<primitive id="${SOLO_RESOURCE}"`);
  });

  it("tells the lab's own CIB from any other", () => {
    expect(isSoloCib(seedCib('/x.state'))).toBe(true);
    expect(isSoloCib(initialCib())).toBe(false);
    expect(isSoloCib('<cib><configuration><crm_config/></configuration></cib>')).toBe(false);
    expect(isSoloCib('not xml <')).toBe(false);
  });
});
