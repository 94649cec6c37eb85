// The lab's MariaDB pair on its own (no supervisor, no sshd), on
// 127.0.17.41-42 so a running lab is left alone: a real source and replica
// come up replicating, each fault shows in what the probe reads, healing
// undoes it, and stopping leaves nothing behind.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabContext, LabHost } from '../../src/lab/component.js';
import { DaemonSet } from '../../src/lab/daemons.js';
import { labProcesses } from '../../src/lab/leftovers.js';
import { ensureLabUser } from '../../src/lab/lab-user.js';
import { LAB_DB_REPLICA, LAB_SSH_PORT } from '../../src/lab/layout.js';
import { labMariadbInstance, MariadbComponent } from '../../src/lab/mariadb/mariadb-component.js';
import { MARIADBD } from '../../src/lab/mariadb/mariadb-server.js';
import { asUser } from '../../src/lab/postgresql/pg-server.js';
import { mysqlAlerts } from '../../src/probes/mysql-alerts.js';
import { mysqlProbeCommand } from '../../src/probes/mysql-command.js';
import { parseMysqlProbe, type MysqlSnapshot } from '../../src/probes/mysql.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-mariadb-component-'));
chmodSync(dir, 0o711);
const runAs = ensureLabUser();
const hosts: LabHost[] = [
  { id: 'db1', address: '127.0.17.41', roles: ['db'], sshPort: LAB_SSH_PORT, rootDir: join(dir, 'hosts', 'db1') },
  { ...LAB_DB_REPLICA, address: '127.0.17.42', sshPort: LAB_SSH_PORT, rootDir: join(dir, 'hosts', 'db2') },
];
const daemons = new DaemonSet(join(dir, 'logs'));
const abort = new AbortController();
const ctx: LabContext = { dir, hosts, signal: abort.signal, log: () => undefined, spawnDaemon: (n, c, a, o) => daemons.spawn(n, c, a, o) };
const component = new MariadbComponent(runAs);
const [db1, db2] = hosts as [LabHost, LabHost];

/** What baton's probe reads on a host, run as the lab's login user like its sessions. */
function read(host: LabHost, serverId: number): Promise<MysqlSnapshot | string> {
  const i = labMariadbInstance(dir, host, serverId, runAs);
  const [command, args] = asUser(runAs, 'sh', ['-c', mysqlProbeCommand({ host: i.socket })]);
  return new Promise((resolve) =>
    execFile(command, args, { cwd: '/' }, (_e, stdout) => {
      const r = parseMysqlProbe(stdout, Date.now());
      resolve(r.kind === 'snapshot' ? r.snapshot : r.message);
    }),
  );
}

async function until(what: string, test: (s: MysqlSnapshot) => boolean, ms = 20_000): Promise<MysqlSnapshot> {
  const deadline = Date.now() + ms;
  let last: MysqlSnapshot | string = '';
  while (Date.now() < deadline) {
    last = await read(db2, 2);
    if (typeof last !== 'string' && test(last)) return last;
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 400)}`);
}

const threads = (s: MysqlSnapshot) => `${s.channels[0]?.ioRunning}/${s.channels[0]?.sqlRunning}`;

describe.skipIf(!existsSync(MARIADBD))('lab mariadb component', () => {
  beforeAll(async () => {
    for (const h of hosts) mkdirSync(h.rootDir, { recursive: true });
    await component.start(ctx);
  }, 90_000);

  afterAll(async () => {
    await component.stop();
    abort.abort();
    await daemons.stopAll();
    const left = labProcesses(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  }, 60_000);

  it('comes up replicating by GTID, the replica read only, the source writable', async () => {
    const s = await until('both threads running', (x) => threads(x) === 'Yes/Yes');
    expect(s).toMatchObject({ role: 'replica', readOnly: true });
    expect(s.channels[0]).toMatchObject({ sourceHost: '127.0.17.41', usingGtid: 'Slave_Pos' });
    expect(mysqlAlerts(s)).toEqual([]);
    expect(await read(db1, 1)).toMatchObject({ role: 'primary', readOnly: false });
  }, 30_000);

  it('mariadb:replica stops both threads; heal starts them', async () => {
    await component.fail('mariadb:replica');
    expect(mysqlAlerts(await until('stopped', (x) => threads(x) === 'No/No')).map((a) => a.key)).toEqual(['io:default', 'sql:default']);
    expect((await component.status()).failed).toEqual(['mariadb:replica']);
    await component.heal('mariadb:replica');
    await until('running', (x) => threads(x) === 'Yes/Yes');
  }, 40_000);

  it('mariadb:replication points the replica at a closed port: the IO thread cannot connect', async () => {
    await component.fail('mariadb:replication');
    const s = await until('IO connecting', (x) => x.channels[0]?.ioRunning !== 'Yes' && x.channels[0]?.sourcePort === 1);
    expect(mysqlAlerts(s).map((a) => a.key)).toContain('io:default');
    await component.heal('mariadb:replication');
    await until('running again', (x) => threads(x) === 'Yes/Yes' && x.channels[0]?.sourcePort === 3306);
  }, 40_000);

  it('mariadb:primary stops the source: it does not answer; heal starts it again', async () => {
    await component.fail('mariadb:primary');
    expect(await read(db1, 1)).toMatch(/^mysql: ERROR 2002/);
    await component.heal('mariadb:primary');
    expect(await read(db1, 1)).toMatchObject({ role: 'primary' });
    await until('running', (x) => threads(x) === 'Yes/Yes');
  }, 60_000);
});
