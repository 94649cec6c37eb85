// Stale cli constraints from real cibadmin output (captured on the lab
// cluster's CIB: a --move with a --lifetime that has passed, a --ban, a
// ban pointing at a node the cluster does not have, an operator's own
// constraint) and ages from journaled runs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { constraintOrigins, deleteConstraintCommand, findStaleConstraints, type JournaledRun } from '../../../src/ops/rebalance/stale-constraints.js';
import { parseCliConstraints, parseCrmMonXml } from '../../../src/probes/pacemaker-xml.js';
import type { PacemakerSnapshot } from '../../../src/probes/pacemaker.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/pacemaker/rebalance', name), 'utf8');
const snap = (): PacemakerSnapshot => ({ ...parseCrmMonXml(fixture('crm-mon-stale.xml')), constraints: { kind: 'read', list: parseCliConstraints(fixture('stale-constraints.xml')) } });
const HOUR = 3_600_000;
const lifetimeEnd = Date.parse('2026-12-03T22:50:56Z');

const runs: JournaledRun[] = [
  { id: 'r-ban', action: 'pacemaker.ban', startedAt: lifetimeEnd - 30 * HOUR, ran: true, args: { cluster: 'baton-lab', change: { kind: 'ban', resource: 'ping-clone', node: 'node3' } } },
  { id: 'r-refused', action: 'pacemaker.ban', startedAt: lifetimeEnd - HOUR, ran: false, args: { cluster: 'baton-lab', change: { kind: 'ban', resource: 'ping-clone', node: 'node3' } } },
  { id: 'r-rebalance', action: 'rebalance', startedAt: lifetimeEnd - 2 * HOUR, ran: true, args: { pacemaker: { clusters: [{ cluster: 'baton-lab', changes: [{ resource: 'web-group' }] }] } } },
  { id: 'r-other', action: 'pacemaker.ban', startedAt: lifetimeEnd - 90 * HOUR, ran: true, args: { cluster: 'other', change: { kind: 'ban', resource: 'ping-clone', node: 'node3' } } },
];

describe('stale cli constraints', () => {
  it('knows an age only from a journaled run that ran; the latest one counts; per cluster', () => {
    const origins = constraintOrigins(runs);
    expect(origins.get('baton-lab')?.get('cli-ban-ping-clone-on-node3')).toEqual({ at: lifetimeEnd - 30 * HOUR, action: 'pacemaker.ban', run: 'r-ban' });
    expect(origins.get('baton-lab')?.get('cli-prefer-web-group')?.run).toBe('r-rebalance');
    expect(origins.get('other')?.get('cli-ban-ping-clone-on-node3')?.run).toBe('r-other');
  });

  it('stale: a node that is gone, a lifetime that ended, older than the threshold; an operator\'s own constraint is not a cli one', () => {
    const now = lifetimeEnd + 60_000;
    const { stale, kept } = findStaleConstraints(snap(), constraintOrigins(runs).get('baton-lab'), now, 24 * HOUR);
    expect(stale.map((c) => [c.id, c.why])).toEqual([
      ['cli-prefer-web-group', 'its lifetime ended at 2026-12-03 22:50:56Z (Pacemaker ignores it; the CIB keeps it)'],
      ['cli-ban-ping-clone-on-node3', 'older than 24 h 0 min'],
      ['cli-ban-web-group-on-node4', 'points at node4, which the cluster no longer has'],
    ]);
    expect(stale[1]!.age).toBe('30 h 1 min (made by pacemaker.ban, run r-ban)');
    expect(stale[2]!.age).toMatch(/^unknown: not made by baton .* the CIB records no creation time$/);
    expect(kept).toEqual([]);
  });

  it('keeps a young one and one whose age is unknown', () => {
    const { stale, kept } = findStaleConstraints(snap(), constraintOrigins(runs).get('baton-lab'), lifetimeEnd - 60_000, 48 * HOUR);
    expect(stale.map((c) => c.id)).toEqual(['cli-ban-web-group-on-node4']);
    expect(kept.map((c) => [c.id, c.ageMs])).toEqual([['cli-prefer-web-group', 2 * HOUR - 60_000], ['cli-ban-ping-clone-on-node3', 30 * HOUR - 60_000]]);
  });

  it('deletes exactly the constraint by id, quoted, on a real CIB file', () => {
    const word = deleteConstraintCommand(`x"'; rm -rf /`).replace(/^cibadmin --delete --scope constraints --xml-text /, "printf '%s' ");
    expect(execFileSync('sh', ['-c', word], { encoding: 'utf8' })).toBe(`<rsc_location id="x&quot;'; rm -rf /"/>`);
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
    const cib = join(dir, 'cib.xml');
    writeFileSync(cib, fixture('stale-cib.xml'));
    execFileSync('sh', ['-c', deleteConstraintCommand('cli-ban-web-group-on-node4')], { env: { ...process.env, CIB_file: cib }, stdio: 'pipe' });
    const left = parseCliConstraints(execFileSync('cibadmin', ['--query', '--scope', 'constraints'], { env: { ...process.env, CIB_file: cib }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    execFileSync('rm', ['-rf', dir]);
    expect(left.map((c) => c.id)).toEqual(['cli-prefer-web-group', 'cli-ban-ping-clone-on-node3']);
  });
});
