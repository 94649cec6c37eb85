// The `postgresql` section of --once --json: one entry per replication set,
// the servers answering as primary (two during a split brain), each server.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { T0 } from '../ui/fixtures.js';
import { databaseStore } from '../ui/database-fixtures.js';

describe('--once --json postgresql section', () => {
  it('lists the set, its primary and each server with its data and alerts', () => {
    const snap = buildSnapshot(databaseStore([['streaming-primary', 'paused-standby']]).getState(), T0);
    expect(snap.postgresql).toHaveLength(1);
    const [set] = snap.postgresql;
    expect(set).toMatchObject({ set: 'main', primaries: ['db1'] });
    expect(set?.members.map((m) => [m.key, m.answeredBy, (m.data as { role: string }).role])).toEqual([
      ['main/db1', 'db1', 'primary'],
      ['main/db2', 'db2', 'standby'],
    ]);
    expect(set?.members[1]?.alerts.map((a) => a.message)).toEqual(['WAL replay is paused (pg_wal_replay_resume() resumes it)']);
  });

  it('names both primaries in a split brain, and leaves out a server that stopped answering', () => {
    expect(buildSnapshot(databaseStore([['streaming-primary', 'streaming-standby'], ['promoted-old-primary', 'promoted-standby']]).getState(), T0).postgresql[0]?.primaries).toEqual(['db1', 'db2']);
    const stopped = buildSnapshot(databaseStore([['streaming-primary', 'streaming-standby'], [null, 'promoted-standby']]).getState(), T0).postgresql[0];
    expect(stopped?.primaries).toEqual(['db2']);
    expect(stopped?.members[0]?.error).toMatch(/^db1: postgresql: connection to server on socket/);
  });
});

describe('--once --json mysql section', () => {
  it('lists the set and its writable source; a promoted replica makes two', () => {
    const snap = buildSnapshot(databaseStore([['not-configured', 'replica-io-error']], 'mysql').getState(), T0);
    expect(snap.mysql[0]).toMatchObject({ set: 'main', primaries: ['db1'] });
    expect(snap.mysql[0]?.members[1]?.alerts.map((a) => a.severity)).toEqual(['crit']);
    expect(buildSnapshot(databaseStore([['not-configured', 'promoted']], 'mysql').getState(), T0).mysql[0]?.primaries).toEqual(['db1', 'db2']);
  });
});
