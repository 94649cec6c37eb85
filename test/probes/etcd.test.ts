// The etcd probe on output captured from a real 3-member etcd 3.4.23 with the
// real etcdctl (test/fixtures/etcd/capture.sh), its alerts and events across
// those states, the quoting of its remote command, and random or cut input.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etcdProbeCommand, parseEtcdProbe, type EtcdSnapshot } from '../../src/probes/etcd.js';
import { etcdAlerts, etcdEvents } from '../../src/probes/etcd-alerts.js';
import { mangledText } from '../helpers/mangled-text.js';

const output = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/etcd', `${name}.txt`), 'utf8');
function snapshot(name: string): EtcdSnapshot {
  const r = parseEtcdProbe(output(name));
  if (r.kind !== 'snapshot') throw new Error(`${name}: ${r.message}`);
  return r.snapshot;
}
const messages = (notices: { message: string }[]) => notices.map((n) => n.message);
const ETCD1 = '2838339371791535923';
const ETCD2 = '6708909353142789861';
const ETCD3 = '11841300007143448721';

describe('parseEtcdProbe on real etcdctl output', () => {
  it('keeps uint64 ids exact, as decimal strings', () => {
    const s = snapshot('healthy');
    // JSON.parse would have rounded these to other ids.
    for (const id of [ETCD3, '11591682591211427501']) {
      expect(BigInt(id) > 2n ** 53n).toBe(true);
      expect(String(Number(id))).not.toBe(id);
    }
    expect(s.clusterId).toBe('11591682591211427501');
    expect(s.members.map((m) => m.id)).toEqual([ETCD1, ETCD2, ETCD3]);
  });

  it('healthy: every member with its raft, db and health', () => {
    const s = snapshot('healthy');
    expect(s).toMatchObject({ endpoint: 'http://127.0.47.4:2379', leaderId: ETCD1, raftTerm: 2, quorum: { voters: 3, healthy: 3, needed: 2, ok: true }, alarms: [], problems: [] });
    expect(s.members[2]).toEqual({
      id: ETCD3, name: 'etcd3', endpoint: 'http://127.0.47.6:2379', peerUrls: ['http://127.0.47.6:2380'], leader: false, learner: false, healthy: true,
      raftTerm: 2, raftIndex: 8, raftAppliedIndex: 8, applyGap: 0, dbSizeBytes: 20480, dbSizeInUseBytes: 16384, version: '3.4.23', errors: [],
    });
    expect(s.members.map((m) => [m.name, m.leader, m.dbSizeBytes])).toEqual([['etcd1', true, 20480], ['etcd2', false, 24576], ['etcd3', false, 20480]]);
  });

  it('one member down: known from member list, with what etcdctl said', () => {
    const s = snapshot('member-down');
    expect(s.quorum).toEqual({ voters: 3, healthy: 2, needed: 2, ok: true });
    expect(s.members[1]).toMatchObject({ id: ETCD2, name: 'etcd2', healthy: false, raftIndex: null, version: null, errors: ['status: context deadline exceeded', 'health: context deadline exceeded'] });
    expect(s.problems).toEqual([
      'etcdctl endpoint status --cluster -w json: exit 1: Failed to get the status of endpoint http://127.0.47.5:2379 (context deadline exceeded)',
      'etcdctl endpoint health --cluster -w json: exit 1: Error: unhealthy cluster',
    ]);
  });

  it('after a leader change, and with no leader at all (leader omitted by etcd)', () => {
    const changed = snapshot('leader-changed');
    expect([changed.leaderId, changed.raftTerm, changed.members.map((m) => m.leader)]).toEqual([ETCD3, 3, [false, false, true]]);
    const lost = snapshot('quorum-lost');
    expect([lost.leaderId, lost.raftTerm, lost.alarms]).toEqual([null, 3, null]);
    expect(lost.quorum).toEqual({ voters: 3, healthy: 0, needed: 2, ok: false });
    expect(lost.members[1]).toMatchObject({ name: 'etcd2', leader: false, raftIndex: 13, errors: ['etcdserver: no leader', 'health: context deadline exceeded'] });
  });

  it('a real NOSPACE alarm, in alarm list and in each member status', () => {
    const s = snapshot('nospace');
    expect(s.alarms).toEqual([{ memberId: ETCD2, alarm: 'NOSPACE' }]);
    expect(s.members[0]).toMatchObject({ dbSizeBytes: 1167360, dbSizeInUseBytes: 1167360, errors: [`memberID:${ETCD2} alarm:NOSPACE`] });
  });

  it('the asked member is down: a snapshot that knows nothing, and why', () => {
    const s = snapshot('endpoint-down');
    expect(s).toMatchObject({ endpoint: 'http://127.0.47.5:2379', clusterId: null, leaderId: null, members: [], alarms: null });
    expect(s.problems[0]).toBe('etcdctl endpoint status --cluster -w json: exit 1: Error: failed to fetch endpoints from etcd cluster member list: context deadline exceeded');
  });

  it('defaults the fields etcd omits and reads learners', () => {
    const status = '[{"Endpoint":"http://e:2379","Status":{"header":{"cluster_id":1,"member_id":18446744073709551615},"version":"3.5.9","isLearner":true}}]';
    const r = parseEtcdProbe(`@@baton:endpoint http://e:2379\n@@baton:status\n${status}\n@@baton:stderr\n\n@@baton:exit 0\n`);
    expect(r.kind === 'snapshot' && r.snapshot.members[0]).toMatchObject({ id: '18446744073709551615', learner: true, leader: false, raftIndex: 0, dbSizeBytes: 0, errors: [] });
    expect(r.kind === 'snapshot' && r.snapshot.quorum).toEqual({ voters: 0, healthy: 0, needed: 1, ok: false });
  });
});

describe('etcd alerts and events', () => {
  it('alerts on no leader, lost quorum, alarms and down members', () => {
    expect(etcdAlerts(snapshot('healthy'))).toEqual([]);
    expect(etcdAlerts(snapshot('member-down'))).toEqual([
      { severity: 'warn', message: 'etcd member etcd2 (http://127.0.47.5:2379) is down: status: context deadline exceeded; health: context deadline exceeded' },
    ]);
    expect(etcdAlerts(snapshot('quorum-lost')).slice(0, 2)).toEqual([
      { severity: 'crit', message: 'etcd has no leader: writes and linearizable reads fail' },
      { severity: 'crit', message: 'etcd quorum lost: 0 of 3 members healthy, 2 needed' },
    ]);
    expect(etcdAlerts(snapshot('nospace'))).toEqual([{ severity: 'crit', message: 'etcd alarm NOSPACE on etcd2' }]);
    const corrupt = { ...snapshot('healthy'), alarms: [{ memberId: ETCD3, alarm: 'CORRUPT' }] };
    expect(etcdAlerts(corrupt)).toEqual([{ severity: 'warn', message: 'etcd alarm CORRUPT on etcd3' }]);
    expect(etcdAlerts(snapshot('endpoint-down'))).toEqual([
      { severity: 'crit', message: 'etcd at http://127.0.47.5:2379 does not answer: etcdctl endpoint status --cluster -w json: exit 1: Error: failed to fetch endpoints from etcd cluster member list: context deadline exceeded' },
    ]);
  });

  it('turns leader, member, quorum and alarm changes into events', () => {
    const healthy = snapshot('healthy');
    expect(etcdEvents(undefined, healthy)).toEqual([]);
    expect(etcdEvents(healthy, healthy)).toEqual([]);
    expect(etcdEvents(healthy, snapshot('member-down'))).toEqual([{ severity: 'warn', message: 'etcd member etcd2 (http://127.0.47.5:2379) went down' }]);
    expect(etcdEvents(healthy, snapshot('leader-changed'))).toEqual([
      { severity: 'warn', message: 'etcd leader changed: etcd1 -> etcd3 (raft term 3)' },
      { severity: 'warn', message: 'etcd member etcd1 (http://127.0.47.4:2379) went down' },
    ]);
    expect(messages(etcdEvents(snapshot('leader-changed'), snapshot('quorum-lost')))).toEqual([
      'etcd lost its leader (was etcd3)', 'etcd lost quorum', 'etcd member etcd2 (http://127.0.47.5:2379) went down', 'etcd member etcd3 (http://127.0.47.6:2379) went down',
    ]);
    expect(messages(etcdEvents(snapshot('quorum-lost'), healthy))).toEqual([
      'etcd elected a leader: etcd1 (raft term 2)', 'etcd regained quorum',
      'etcd member etcd1 (http://127.0.47.4:2379) is healthy again', 'etcd member etcd2 (http://127.0.47.5:2379) is healthy again', 'etcd member etcd3 (http://127.0.47.6:2379) is healthy again',
    ]);
  });

  it('reports alarms raised and cleared, and an endpoint that stops answering', () => {
    const healthy = snapshot('healthy');
    const nospace = snapshot('nospace');
    expect(etcdEvents(healthy, nospace)).toContainEqual({ severity: 'crit', message: 'etcd alarm NOSPACE raised on etcd2' });
    expect(etcdEvents(nospace, healthy)).toContainEqual({ severity: 'info', message: 'etcd alarm NOSPACE cleared on etcd2' });
    expect(etcdEvents(healthy, snapshot('endpoint-down'))).toEqual([{ severity: 'crit', message: 'etcd at http://127.0.47.5:2379 stopped answering' }]);
    expect(etcdEvents(snapshot('endpoint-down'), healthy)).toEqual([{ severity: 'info', message: 'etcd at http://127.0.47.4:2379 answers again' }]);
  });
});

describe('parseEtcdProbe on bad input', () => {
  it('says what is wrong, with the raw snippet', () => {
    expect(parseEtcdProbe('')).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('@@baton:endpoint') });
    const broken = output('healthy').replace('"raftIndex":8', '"raftIndex":"eight"');
    expect(parseEtcdProbe(broken)).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(/^etcd: endpoint status output is not etcdctl's shape at \[0\.Status\.raftIndex\]/), raw: expect.stringMatching(/^\[\{"Endpoint"/) });
    const missing = ['status', 'health', 'members', 'alarms'].map((s) => `@@baton:${s}\n\n@@baton:stderr\nsh: 1: etcdctl: not found\n@@baton:exit 127\n`).join('');
    expect(parseEtcdProbe(`@@baton:endpoint http://e:2379\n${missing}`)).toMatchObject({ kind: 'parse-error', message: 'etcd: etcdctl is not installed on the host: sh: 1: etcdctl: not found' });
  });

  it('never throws on random, cut or mutated output', () => {
    const real = output('nospace');
    const text = mangledText(real);
    fc.assert(
      fc.property(text, (t) => {
        const r = parseEtcdProbe(t);
        expect(['snapshot', 'parse-error']).toContain(r.kind);
        if (r.kind === 'parse-error') expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes the endpoint: a hostile one reaches etcdctl as one word and runs nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-etcd-quote-'));
    try {
      // A stand-in etcdctl that records its arguments, first on the PATH.
      writeFileSync(join(dir, 'etcdctl'), `#!/bin/sh\nprintf '%s\\n' "$@" >"${dir}/argv"\n`, { mode: 0o755 });
      const hostile = `http://x'; touch ${dir}/pwned; echo '$(touch ${dir}/pwned2)\`touch ${dir}/pwned3\``;
      const r = spawnSync('sh', ['-c', etcdProbeCommand({ endpoint: hostile })], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` } });
      expect(r.stdout.split('\n')[0]).toBe(`@@baton:endpoint ${hostile}`);
      expect(readFileSync(join(dir, 'argv'), 'utf8').split('\n').slice(0, 2)).toEqual(['--endpoints', hostile]);
      expect(['pwned', 'pwned2', 'pwned3'].filter((f) => existsSync(join(dir, f)))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
