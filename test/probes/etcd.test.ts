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
const ETCD1 = '9025980610755022110';
const ETCD2 = '9773768292593860544';
const ETCD3 = '14894175129860640243';
const CLUSTER = '1585119279004528960';
const SHORT_HEALTH = 'health: no answer within 100ms (shortened while a member is down; an election may be under way)';

describe('parseEtcdProbe on real etcdctl output', () => {
  it('keeps uint64 ids exact, as decimal strings', () => {
    const s = snapshot('healthy');
    // JSON.parse would have rounded these to other ids.
    for (const id of [ETCD1, CLUSTER]) {
      expect(BigInt(id) > 2n ** 53n).toBe(true);
      expect(String(Number(id))).not.toBe(id);
    }
    expect(s.clusterId).toBe(CLUSTER);
    expect(s.members.map((m) => m.id)).toEqual([ETCD1, ETCD2, ETCD3]);
  });

  it('healthy: every member with its raft, db and health', () => {
    const s = snapshot('healthy');
    expect(s).toMatchObject({ endpoint: 'http://127.0.47.4:2379', leaderId: ETCD1, raftTerm: 2, quorum: { voters: 3, up: 3, needed: 2, ok: true }, alarms: [], problems: [] });
    expect(s.members[2]).toEqual({
      id: ETCD3, name: 'etcd3', endpoint: 'http://127.0.47.6:2379', peerUrls: ['http://127.0.47.6:2380'], leader: false, learner: false, up: true, healthy: true, healthNote: null,
      raftTerm: 2, raftIndex: 9, raftAppliedIndex: 9, applyGap: 0, dbSizeBytes: 20480, dbSizeInUseBytes: 16384, version: '3.4.23', errors: [],
    });
    expect(s.members.map((m) => [m.name, m.leader, m.raftIndex])).toEqual([['etcd1', true, 9], ['etcd2', false, 9], ['etcd3', false, 9]]);
  });

  it('a member that refuses connections is down at once, and etcdctl is not asked about it', () => {
    const s = snapshot('member-down');
    expect(s.quorum).toEqual({ voters: 3, up: 2, needed: 2, ok: true });
    expect(s.members[1]).toMatchObject({ id: ETCD2, name: 'etcd2', up: false, healthy: false, raftIndex: null, version: null, errors: ['connect: http://127.0.47.5:2379 refuses connections'] });
    expect([s.members[0], s.members[2]].map((m) => [m?.up, m?.healthy])).toEqual([[true, true], [true, true]]);
    expect(s.problems).toEqual([]);
  });

  it('a hung member (its port accepts, nothing answers) is down when etcdctl gives up, with what it said', () => {
    const s = snapshot('member-hung');
    expect(s.members[1]).toMatchObject({ name: 'etcd2', up: false, healthy: false, errors: ['status: context deadline exceeded', 'health: context deadline exceeded'] });
    expect(s.problems).toEqual([
      'etcdctl endpoint status -w json: exit 1: Failed to get the status of endpoint http://127.0.47.5:2379 (context deadline exceeded)',
      'etcdctl endpoint health -w json: exit 1: Error: unhealthy cluster',
    ]);
  });

  it('the leader just killed: it is down, the others are up with their health unknown until the election ends', () => {
    const s = snapshot('leader-killed');
    // The survivors still name the dead leader: they have not noticed yet.
    expect([s.leaderId, s.quorum]).toEqual([ETCD1, { voters: 3, up: 2, needed: 2, ok: true }]);
    expect(s.members.map((m) => [m.name, m.up, m.healthy])).toEqual([['etcd1', false, false], ['etcd2', true, null], ['etcd3', true, null]]);
    expect(s.members[1]?.errors).toEqual([SHORT_HEALTH]);
    expect(s.alarms).toBeNull();
    expect(etcdAlerts(s)).toEqual([
      { severity: 'crit', message: 'etcd leader etcd1 (http://127.0.47.4:2379) is down: writes wait until the others elect a new one', brief: 'leader etcd1 down' },
      { severity: 'warn', message: 'etcd member etcd1 (http://127.0.47.4:2379) is down: connect: http://127.0.47.4:2379 refuses connections', brief: 'etcd1 down' },
    ]);
  });

  it('after a leader change, and with no leader at all (leader omitted by etcd)', () => {
    const changed = snapshot('leader-changed');
    expect([changed.leaderId, changed.raftTerm, changed.members.map((m) => m.leader)]).toEqual([ETCD2, 3, [false, true, false]]);
    const lost = snapshot('quorum-lost');
    expect([lost.leaderId, lost.raftTerm, lost.alarms]).toEqual([null, 3, null]);
    expect(lost.quorum).toEqual({ voters: 3, up: 1, needed: 2, ok: false });
    expect(lost.members[2]).toMatchObject({ name: 'etcd3', up: true, leader: false, raftIndex: 14, errors: ['etcdserver: no leader', SHORT_HEALTH] });
  });

  it('a real NOSPACE alarm, in alarm list and in each member status', () => {
    const s = snapshot('nospace');
    expect(s.alarms).toEqual([{ memberId: ETCD3, alarm: 'NOSPACE' }, { memberId: ETCD2, alarm: 'NOSPACE' }]);
    expect(s.members[0]).toMatchObject({ dbSizeBytes: 1589248, dbSizeInUseBytes: 1482752, errors: [`memberID:${ETCD3} alarm:NOSPACE`, `memberID:${ETCD2} alarm:NOSPACE`] });
  });

  it('the asked member refuses connections: a snapshot that knows nothing, and why, without waiting on etcdctl', () => {
    const s = snapshot('endpoint-down');
    expect(s).toMatchObject({ endpoint: 'http://127.0.47.5:2379', clusterId: null, leaderId: null, members: [], alarms: null });
    expect(s.problems).toEqual(['http://127.0.47.5:2379 refuses connections: is etcd running on this host?']);
  });

  it('defaults the fields etcd omits and reads learners', () => {
    const status = '[{"Endpoint":"http://e:2379","Status":{"header":{"cluster_id":1,"member_id":18446744073709551615},"version":"3.5.9","isLearner":true}}]';
    const section = (name: string, out: string) => `@@baton:${name}\n${out}\n@@baton:stderr\n\n@@baton:exit 0\n`;
    const r = parseEtcdProbe(`@@baton:endpoint http://e:2379\n${section('members', '')}${section('status', status)}`);
    expect(r.kind === 'snapshot' && r.snapshot.members[0]).toMatchObject({ id: '18446744073709551615', learner: true, leader: false, up: true, raftIndex: 0, dbSizeBytes: 0, errors: [] });
    expect(r.kind === 'snapshot' && r.snapshot.quorum).toEqual({ voters: 0, up: 0, needed: 1, ok: false });
  });
});

describe('etcd alerts and events', () => {
  it('alerts on no leader, lost quorum, alarms, down members and failed health checks', () => {
    expect(etcdAlerts(snapshot('healthy'))).toEqual([]);
    expect(etcdAlerts(snapshot('member-down'))).toEqual([
      { severity: 'warn', message: 'etcd member etcd2 (http://127.0.47.5:2379) is down: connect: http://127.0.47.5:2379 refuses connections', brief: 'etcd2 down' },
    ]);
    expect(etcdAlerts(snapshot('quorum-lost')).slice(0, 2)).toEqual([
      { severity: 'crit', message: 'etcd has no leader: writes and linearizable reads fail', brief: 'no leader' },
      { severity: 'crit', message: 'etcd quorum lost: 1 of 3 voting members up, 2 needed', brief: 'quorum lost' },
    ]);
    expect(etcdAlerts(snapshot('nospace'))).toEqual([
      { severity: 'crit', message: 'etcd alarm NOSPACE on etcd3' },
      { severity: 'crit', message: 'etcd alarm NOSPACE on etcd2' },
    ]);
    const four = { ...snapshot('healthy'), quorum: { voters: 4, up: 4, needed: 3, ok: true } };
    expect(etcdAlerts(four)).toEqual([
      { severity: 'warn', message: 'etcd has 4 voting members: it needs 3 and tolerates 1 down, no more than 3 members would; keep an odd count' },
    ]);
    const corrupt = { ...snapshot('healthy'), alarms: [{ memberId: ETCD3, alarm: 'CORRUPT' }] };
    expect(etcdAlerts(corrupt)).toEqual([{ severity: 'warn', message: 'etcd alarm CORRUPT on etcd3' }]);
    const healthy = snapshot('healthy');
    const noReads = { ...healthy, members: healthy.members.map((m, i) => (i === 0 ? { ...m, healthy: false, errors: ['health: etcdserver: no leader'] } : m)) };
    expect(etcdAlerts(noReads)).toEqual([{ severity: 'warn', message: 'etcd member etcd1 (http://127.0.47.4:2379) fails its health check: health: etcdserver: no leader' }]);
  });

  it('turns leader, member, quorum and alarm changes into events', () => {
    const healthy = snapshot('healthy');
    expect(etcdEvents(undefined, healthy)).toEqual([]);
    expect(etcdEvents(healthy, healthy)).toEqual([]);
    expect(etcdEvents(healthy, snapshot('member-down'))).toEqual([{ severity: 'warn', message: 'etcd member etcd2 (http://127.0.47.5:2379) went down', member: 'http://127.0.47.5:2379' }]);
    expect(etcdEvents(healthy, snapshot('member-hung'))).toEqual([{ severity: 'warn', message: 'etcd member etcd2 (http://127.0.47.5:2379) went down', member: 'http://127.0.47.5:2379' }]);
    // The kill is news at once; the new leader comes with the next poll.
    expect(etcdEvents(healthy, snapshot('leader-killed'))).toEqual([{ severity: 'warn', message: 'etcd member etcd1 (http://127.0.47.4:2379) went down', member: 'http://127.0.47.4:2379' }]);
    expect(etcdEvents(snapshot('leader-killed'), snapshot('leader-changed'))).toEqual([{ severity: 'warn', message: 'etcd leader changed: etcd1 -> etcd2 (raft term 3)' }]);
    expect(messages(etcdEvents(snapshot('leader-changed'), snapshot('quorum-lost')))).toEqual([
      'etcd lost its leader (was etcd2)', 'etcd lost quorum', 'etcd member etcd2 (http://127.0.47.5:2379) went down',
    ]);
    expect(messages(etcdEvents(snapshot('quorum-lost'), healthy))).toEqual([
      'etcd elected a leader: etcd1 (raft term 2)', 'etcd regained quorum',
      'etcd member etcd1 (http://127.0.47.4:2379) is back up', 'etcd member etcd2 (http://127.0.47.5:2379) is back up',
    ]);
    const noReads = { ...healthy, members: healthy.members.map((m, i) => (i === 2 ? { ...m, healthy: false } : m)) };
    expect(messages(etcdEvents(healthy, noReads))).toEqual(['etcd member etcd3 (http://127.0.47.6:2379) fails its health check']);
    expect(messages(etcdEvents(noReads, healthy))).toEqual(['etcd member etcd3 (http://127.0.47.6:2379) passes its health check again']);
  });

  it('reports alarms raised and cleared', () => {
    const healthy = snapshot('healthy');
    const nospace = snapshot('nospace');
    expect(etcdEvents(healthy, nospace)).toContainEqual({ severity: 'crit', message: 'etcd alarm NOSPACE raised on etcd3' });
    expect(etcdEvents(nospace, healthy)).toContainEqual({ severity: 'info', message: 'etcd alarm NOSPACE cleared on etcd3' });
  });
});

describe('parseEtcdProbe on bad input', () => {
  it('says what is wrong, with the raw snippet', () => {
    expect(parseEtcdProbe('')).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('@@baton:endpoint') });
    const broken = output('healthy').replace(/"raftIndex":\d+/, '"raftIndex":"eight"');
    expect(parseEtcdProbe(broken)).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(/^etcd: endpoint status output is not etcdctl's shape at \[0\.Status\.raftIndex\]/), raw: expect.stringMatching(/^\[\{"Endpoint"/) });
    const missing = ['members', 'status', 'health', 'alarms'].map((s) => `@@baton:${s}\n\n@@baton:stderr\nsh: 1: etcdctl: not found\n@@baton:exit 127\n`).join('');
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
      // A stand-in etcdctl that records each call's arguments, first on the PATH.
      writeFileSync(join(dir, 'etcdctl'), `#!/bin/sh\nprintf '%s\\n' "$@" '--end--' >>"${dir}/argv"\n`, { mode: 0o755 });
      const hostile = `http://x'; touch ${dir}/pwned; echo '$(touch ${dir}/pwned2)\`touch ${dir}/pwned3\``;
      const r = spawnSync('sh', ['-c', etcdProbeCommand({ endpoint: hostile })], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` } });
      expect(r.stdout.split('\n')[0]).toBe(`@@baton:endpoint ${hostile}`);
      const calls = readFileSync(join(dir, 'argv'), 'utf8').split('--end--\n').filter(Boolean).map((c) => c.split('\n'));
      // member list, endpoint status, endpoint health, alarm list, the locks: each with the endpoint as one argument.
      expect(calls.map((argv) => argv[argv.indexOf('--endpoints') + 1]).sort()).toEqual([hostile, hostile, hostile, hostile, hostile]);
      expect(['pwned', 'pwned2', 'pwned3'].filter((f) => existsSync(join(dir, f)))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
