// The etcd probe reads baton's operator locks (baton/locks/) beside the
// cluster's state: outputs captured from a real etcd with locks taken by the
// real EtcdLockManager (test/fixtures/etcd/capture.sh locks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ETCD_COMMANDS } from '../../src/probes/etcd-command.js';
import { parseEtcdProbe, type EtcdSnapshot } from '../../src/probes/etcd.js';
import { describeHolder } from '../../src/probes/lock-records.js';

const output = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/etcd', `${name}.txt`), 'utf8');

function snapshotOf(text: string): EtcdSnapshot {
  const r = parseEtcdProbe(text);
  if (r.kind !== 'snapshot') throw new Error(`parse error: ${r.message}`);
  return r.snapshot;
}

const HOSTILE = 'pacemaker:prod:resource:web-group; touch /tmp/pwned';

describe('etcd probe: operator locks', () => {
  it('reads every lock record with its key decoded from its token and its holder', () => {
    const s = snapshotOf(output('locks-held'));
    expect(s.locks.map((l) => l.key)).toEqual(['haproxy:lb1:app/web2', 'host:db1', 'host:web1', HOSTILE]);
    const web1 = s.locks.find((l) => l.key === 'host:web1')!.holder;
    expect(web1).toMatchObject({ user: 'ops', host: 'laptop', pid: 4242, action: 'exec "uptime"', actionId: 'capture-1' });
    expect(describeHolder(web1)).toMatch(/^ops@laptop \(pid 4242\) since \d\d:\d\d:\d\d: exec "uptime"$/);
    expect(s.problems).toEqual([]);
  });

  it('keeps a record no baton wrote as a holder it cannot name', () => {
    const db1 = snapshotOf(output('locks-held')).locks.find((l) => l.key === 'host:db1')!.holder;
    expect(db1.user).toBe('?');
    expect(db1.action).toContain('unreadable lock record');
  });

  it('still reads the locks when the asked member has no leader (a serializable read)', () => {
    const s = snapshotOf(output('locks-quorum-lost'));
    expect(s.leaderId).toBeNull();
    expect(s.locks).toHaveLength(4);
    expect(s.problems.some((p) => p.includes('get --prefix'))).toBe(false);
  });

  it('sees a released lock gone and the others kept', () => {
    expect(snapshotOf(output('locks-released')).locks.map((l) => l.key)).toEqual(['host:db1']);
  });

  it('has no locks and no problem for a capture without the section (the asked endpoint refused)', () => {
    const s = snapshotOf(output('endpoint-down'));
    expect(s.locks).toEqual([]);
  });

  it('turns a failed or unreadable locks section into a problem line, never a failed probe', () => {
    const held = output('locks-held');
    const failed = held.replace(/(@@baton:locks\n)[^\n]*\n\n@@baton:stderr\n\n@@baton:exit 0/, '$1\n@@baton:stderr\nError: context deadline exceeded\n@@baton:exit 1');
    expect(failed).not.toBe(held);
    const s1 = snapshotOf(failed);
    expect(s1.locks).toEqual([]);
    expect(s1.members).toHaveLength(3);
    expect(s1.problems).toEqual([`etcdctl ${ETCD_COMMANDS.locks}: exit 1: Error: context deadline exceeded`]);

    const garbled = held.replace(/(@@baton:locks\n)[^\n]*/, '$1{"kvs":[{"key":42}]}');
    const s2 = snapshotOf(garbled);
    expect(s2.locks).toEqual([]);
    expect(s2.problems).toHaveLength(1);
    expect(s2.problems[0]).toMatch(/get --prefix baton\/locks\/ output is not etcdctl's shape at \[kvs\.0\.key\]/);
  });

  it('says so when etcd had more records than the probe reads', () => {
    const more = output('locks-held').replace('"count":4}', '"count":900,"more":true}');
    expect(snapshotOf(more).problems).toEqual(['etcd: showing 4 of 900 lock records']);
  });
});
