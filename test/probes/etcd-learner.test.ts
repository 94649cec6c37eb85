// The etcd probe with a learner, on output captured from a real 4-member
// etcd 3.4.23 (three voters and a learner; test/fixtures/etcd/capture.sh
// learner): a learner refuses the linearizable health read and, once quorum
// is lost, still names the old leader, which a voter's "no leader" outranks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEtcdProbe, type EtcdSnapshot } from '../../src/probes/etcd.js';
import { etcdAlerts, etcdEvents } from '../../src/probes/etcd-alerts.js';
import { planServices } from '../../src/monitor/service-plan.js';
import { inventory, spec } from '../ui/fixtures.js';

const output = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/etcd', `${name}.txt`), 'utf8');
function snapshot(name: string): EtcdSnapshot {
  const r = parseEtcdProbe(output(name));
  if (r.kind !== 'snapshot') throw new Error(`${name}: ${r.message}`);
  return r.snapshot;
}
const byName = (s: EtcdSnapshot, name: string) => s.members.find((m) => m.name === name);
const ETCD2 = '9484039801390804953';
const LEARNER_REFUSES = 'health: etcdserver: rpc not supported for learner (a learner serves no linearizable read until it is promoted)';

describe('a learner in a healthy cluster', () => {
  it('is up, with no health verdict and the reason etcdctl logged, and nothing to alert on', () => {
    const s = snapshot('learner-healthy');
    expect([s.leaderId, s.quorum]).toEqual([ETCD2, { voters: 3, up: 3, needed: 2, ok: true }]);
    expect(byName(s, 'etcd4')).toMatchObject({ learner: true, leader: false, up: true, healthy: null, healthNote: LEARNER_REFUSES, errors: [] });
    expect(s.members.filter((m) => !m.learner).map((m) => [m.name, m.healthy, m.healthNote])).toEqual([['etcd1', true, null], ['etcd2', true, null], ['etcd3', true, null]]);
    // endpoint health exits 1 for the learner alone: that is no problem either.
    expect(s.problems).toEqual([]);
    expect(etcdAlerts(s)).toEqual([]);
  });

  it('a learner health failure other than the refusal still counts', () => {
    const refusedOther = output('learner-healthy').replaceAll('desc = etcdserver: rpc not supported for learner', 'desc = etcdserver: request timed out');
    const r = parseEtcdProbe(refusedOther);
    const learner = r.kind === 'snapshot' ? byName(r.snapshot, 'etcd4') : undefined;
    expect(learner).toMatchObject({ healthy: false, healthNote: null, errors: ['health: context deadline exceeded (etcdctl retried: etcdserver: request timed out)'] });
    expect(r.kind === 'snapshot' && etcdAlerts(r.snapshot).map((a) => a.severity)).toEqual(['warn']);
  });
});

describe('quorum lost while a learner still names the old leader', () => {
  it('the last voter says no leader: no leader, with the crit alerts', () => {
    const s = snapshot('learner-quorum-lost');
    expect(byName(s, 'etcd3')).toMatchObject({ up: true, errors: expect.arrayContaining(['etcdserver: no leader']) });
    expect([s.leaderId, s.members.filter((m) => m.leader)]).toEqual([null, []]);
    expect(s.quorum).toEqual({ voters: 3, up: 1, needed: 2, ok: false });
    expect(byName(s, 'etcd4')).toMatchObject({ up: true, healthy: null, healthNote: LEARNER_REFUSES });
    expect(etcdAlerts(s).filter((a) => a.severity === 'crit').map((a) => a.message)).toEqual([
      'etcd has no leader: writes and linearizable reads fail',
      'etcd quorum lost: 1 of 3 voting members up, 2 needed',
    ]);
    expect(etcdAlerts(s).map((a) => a.message).filter((m) => m.includes('etcd4'))).toEqual([]);
    expect(etcdEvents(snapshot('learner-healthy'), s).map((e) => e.message)).toEqual([
      'etcd lost its leader (was etcd2)',
      'etcd lost quorum',
      'etcd member etcd1 (http://127.0.46.1:2379) went down',
      'etcd member etcd2 (http://127.0.46.2:2379) went down',
    ]);
  });

  it('a voter that answers and names no leader is not the leader, whoever names it', () => {
    // The healthy 4-member capture, with etcd2 (the leader every other member names) naming none itself.
    const denied = output('learner-healthy').replace(/("member_id":9484039801390804953,[^}]*\},"version":"[^"]*","dbSize":\d+,)"leader":\d+,/, '$1');
    expect(denied).not.toBe(output('learner-healthy'));
    const r = parseEtcdProbe(denied);
    expect(r.kind === 'snapshot' && [r.snapshot.leaderId, r.snapshot.members.some((m) => m.leader)]).toEqual([null, false]);
  });

  it('asked on the learner, which lists no members: no snapshot of the cluster, so the poller asks another member', () => {
    const s = snapshot('learner-quorum-lost-asked-learner');
    expect([s.members, s.leaderId]).toEqual([[], null]);
    expect(s.problems).toEqual([
      'http://127.0.46.4:2379 is a learner: it refuses member list (etcdserver: rpc not supported for learner), so it cannot speak for the cluster',
    ]);
    const probe = planServices(inventory([{ ...spec('db04', []), roles: { etcd: {} } }])).find((p) => p.kind === 'etcd');
    expect(probe?.parse(output('learner-quorum-lost-asked-learner'), 0)).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('does not answer: http://127.0.46.4:2379 is a learner') });
  });
});
