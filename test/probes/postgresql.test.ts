// The PostgreSQL probe against outputs captured from a real PostgreSQL 15
// primary and standby (test/fixtures/postgresql/capture.sh): each state
// parses to what the server said, and raises the alerts an operator needs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { quote } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { postgresqlAlerts, postgresqlEvents } from '../../src/probes/postgresql-alerts.js';
import { POSTGRESQL_QUERY, postgresqlProbeCommand, psqlArgs } from '../../src/probes/postgresql-command.js';
import { parsePostgresqlProbe, type PostgresqlSnapshot } from '../../src/probes/postgresql.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/postgresql/${name}.txt`, import.meta.url), 'utf8');

function snap(name: string): PostgresqlSnapshot {
  const r = parsePostgresqlProbe(fixture(name), 1000);
  if (r.kind !== 'snapshot') throw new Error(`${name}: ${r.message}`);
  return r.snapshot;
}

const keys = (s: PostgresqlSnapshot, threshold?: number) => postgresqlAlerts(s, threshold).map((a) => a.key);

describe('postgresql probe', () => {
  it('reads a streaming primary: its standby, lag and slot', () => {
    const s = snap('streaming-primary');
    expect(s).toMatchObject({ role: 'primary', version: 150018, timeline: 1, clusterName: 'db1', recovery: null });
    expect(s.standbys).toEqual([expect.objectContaining({ name: 'db2', state: 'streaming', syncState: 'async', lagBytes: 0 })]);
    expect(s.slots).toEqual([{ name: 'db2', type: 'physical', active: true, walStatus: 'reserved', retainedBytes: 0 }]);
    expect(keys(s)).toEqual([]);
  });

  it('reads a streaming standby: receiver, no replay delay', () => {
    const s = snap('streaming-standby');
    expect(s.role).toBe('standby');
    expect(s.recovery).toMatchObject({ paused: false, pendingBytes: 0, replayDelayMs: 0, receiver: { status: 'streaming', senderHost: '127.0.17.1', slotName: 'db2' } });
    expect(keys(s)).toEqual([]);
  });

  it('a paused standby: pending WAL, a replay delay measured on the server clock, a paused alert', () => {
    const s = snap('paused-standby');
    expect(s.recovery?.paused).toBe(true);
    expect(s.recovery?.pendingBytes).toBeGreaterThan(0);
    expect(s.recovery?.replayDelayMs).toBe(s.serverNowMs - (s.recovery?.lastReplayMs ?? 0));
    expect(keys(s)).toEqual(['paused']);
    // Above the threshold it is also a lag alert.
    expect(keys(s, 1000)).toEqual(['paused', 'lag']);
  });

  it('a primary whose standby catches up', () => {
    const s = snap('catching-up-primary');
    expect(s.standbys[0]).toMatchObject({ state: 'catchup' });
    expect(s.standbys[0]?.lagBytes).toBeGreaterThan(1_000_000);
    expect(keys(s)).toEqual(['link:db2']);
  });

  it('a disconnected standby (wrong primary_conninfo): not streaming', () => {
    const s = snap('disconnected-standby');
    expect(s.recovery?.receiver).toBeNull();
    expect(postgresqlAlerts(s)).toEqual([expect.objectContaining({ key: 'not-streaming', severity: 'crit' })]);
  });

  it('a primary whose standby is gone: the inactive slot retains WAL', () => {
    const s = snap('disconnected-primary');
    expect(s.standbys).toEqual([]);
    expect(postgresqlAlerts(s)).toEqual([expect.objectContaining({ key: 'slot:db2', severity: 'warn' })]);
    expect(postgresqlAlerts(s)[0]?.message).toMatch(/retains 6\d\.\d MB of WAL/);
  });

  it('a promoted standby is primary on timeline 2, and says so as an event', () => {
    const s = snap('promoted-standby');
    expect(s).toMatchObject({ role: 'primary', timeline: 2 });
    expect(postgresqlEvents(snap('streaming-standby'), s)).toContainEqual({ severity: 'warn', message: 'promoted: now primary on timeline 2' });
    expect(snap('promoted-old-primary')).toMatchObject({ role: 'primary', timeline: 1 });
  });

  it('a server that is down is a parse error carrying psql’s reason', () => {
    const r = parsePostgresqlProbe(fixture('down'), 1000);
    expect(r).toMatchObject({ kind: 'parse-error' });
    expect(r.kind === 'parse-error' && r.message).toMatch(/^postgresql: connection to server on socket .* failed: No such file or directory/);
  });

  it('quotes every role value and puts no credential on the command line', () => {
    const role = { host: "/run/x y'z", port: 5433, user: 'mon', database: 'app;rm $(id)', sudo: true };
    const cmd = postgresqlProbeCommand(role);
    expect(cmd).toContain('sudo -n -u postgres env PGCONNECT_TIMEOUT=3');
    expect(cmd).not.toMatch(/password/i);
    // The shell hands psql each value untouched.
    const argv = psqlArgs(role, POSTGRESQL_QUERY);
    const echoed = spawnSync('sh', ['-c', `for a in ${quote(argv)}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' }).stdout;
    expect(echoed.split('\0').slice(0, -1)).toEqual(argv);
  });
});
