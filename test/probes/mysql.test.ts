// The MySQL/MariaDB probe against outputs captured from a real MariaDB 10.11
// primary and replica (test/fixtures/mysql/capture.sh): each state parses to
// what the server said and raises the alerts an operator needs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mysqlAlerts, mysqlEvents } from '../../src/probes/mysql-alerts.js';
import { mysqlProbeCommand } from '../../src/probes/mysql-command.js';
import { parseMysqlProbe, type MysqlSnapshot } from '../../src/probes/mysql.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/mysql/${name}.txt`, import.meta.url), 'utf8');

function snap(name: string): MysqlSnapshot {
  const r = parseMysqlProbe(fixture(name), 1000);
  if (r.kind !== 'snapshot') throw new Error(`${name}: ${r.message}`);
  return r.snapshot;
}

const keys = (s: MysqlSnapshot) => mysqlAlerts(s).map((a) => a.key);

describe('mysql probe on MariaDB', () => {
  it('a server with no replication configured is a primary, writable, nothing to alert', () => {
    const s = snap('not-configured');
    expect(s).toMatchObject({ flavor: 'mariadb', role: 'primary', serverId: 1, readOnly: false, superReadOnly: null, logBin: true, statusStatement: 'SHOW ALL SLAVES STATUS', channels: [] });
    expect(keys(s)).toEqual([]);
  });

  it('a streaming replica: both threads running, 0 s behind, read only', () => {
    const s = snap('replica-streaming');
    expect(s).toMatchObject({ role: 'replica', readOnly: true });
    expect(s.channels).toEqual([expect.objectContaining({ name: '', sourceHost: '127.0.17.31', sourcePort: 3306, ioRunning: 'Yes', sqlRunning: 'Yes', secondsBehind: 0, usingGtid: 'Slave_Pos', lastIoErrno: 0 })]);
    expect(keys(s)).toEqual([]);
  });

  it('a delayed replica reports Seconds_Behind_Master', () => {
    const c = snap('replica-delayed').channels[0]!;
    expect(c.secondsBehind).toBeGreaterThan(0);
    expect(mysqlAlerts(snap('replica-delayed'), 100).map((a) => a.key)).toEqual(['lag:default']);
  });

  it('an IO error (wrong password): the IO thread and its error number', () => {
    const s = snap('replica-io-error');
    expect(s.channels[0]).toMatchObject({ ioRunning: 'Connecting', lastIoErrno: 1045 });
    const [alert] = mysqlAlerts(s);
    expect(alert).toMatchObject({ severity: 'crit', key: 'io:default' });
    expect(alert?.message).toMatch(/^replication: IO thread connecting \(error 1045: .*Access denied for user 'replicator'/);
  });

  it('an SQL error (duplicate key): the SQL thread stopped with its error', () => {
    const s = snap('replica-sql-error');
    expect(s.channels[0]).toMatchObject({ ioRunning: 'Yes', sqlRunning: 'No', lastSqlErrno: 1062, secondsBehind: null });
    expect(mysqlAlerts(s).map((a) => a.message)).toEqual([expect.stringMatching(/^replication: SQL thread stopped \(error 1062: .*Duplicate entry '100'/)]);
  });

  it('a writable replica is an alert', () => {
    expect(keys(snap('replica-writable'))).toEqual(['writable']);
  });

  it('a promoted replica: primary, writable, and the event says so', () => {
    const s = snap('promoted');
    expect(s).toMatchObject({ role: 'primary', readOnly: false, channels: [] });
    expect(mysqlEvents(snap('replica-streaming'), s)).toContainEqual({ severity: 'warn', message: 'promoted: no replication configured any more, writable' });
  });

  it('a server that is down is a parse error with the client’s reason', () => {
    const r = parseMysqlProbe(fixture('down'), 1000);
    expect(r.kind === 'parse-error' && r.message).toMatch(/^mysql: ERROR 2002 \(HY000\): Can't connect to local server through socket/);
  });

  it('the command quotes every role value, puts the option file first, and no password anywhere', () => {
    const cmd = mysqlProbeCommand({ host: "/run/my sql'd.sock", user: 'mon', defaultsFile: '/etc/baton/my.cnf', sudo: 'mysql' });
    expect(cmd).toContain("sudo -n -u mysql mysql --defaults-extra-file\\=/etc/baton/my.cnf --batch");
    expect(cmd).not.toMatch(/password/i);
    expect(spawnSync('sh', ['-n', '-c', cmd]).status).toBe(0);
  });
});
