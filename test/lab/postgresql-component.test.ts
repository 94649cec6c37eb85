// The lab's PostgreSQL pair on its own (no supervisor, no sshd), on
// 127.0.17.11-12 so a running lab is left alone: a real primary and standby
// come up streaming, each fault shows in what the probe reads, healing
// undoes it, and stopping leaves nothing behind.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabContext, LabHost } from '../../src/lab/component.js';
import { DaemonSet } from '../../src/lab/daemons.js';
import { labProcesses } from '../../src/lab/leftovers.js';
import { ensureLabUser } from '../../src/lab/lab-user.js';
import { LAB_DB_REPLICA, LAB_SSH_PORT } from '../../src/lab/layout.js';
import { asUser, pgBinDir } from '../../src/lab/postgresql/pg-server.js';
import { labPgInstance, PostgresqlComponent } from '../../src/lab/postgresql/postgresql-component.js';
import { postgresqlAlerts } from '../../src/probes/postgresql-alerts.js';
import { postgresqlProbeCommand } from '../../src/probes/postgresql-command.js';
import { parsePostgresqlProbe, type PostgresqlSnapshot } from '../../src/probes/postgresql.js';

const installed = pgBinDir() !== undefined;
const dir = mkdtempSync(join(tmpdir(), 'baton-pg-component-'));
chmodSync(dir, 0o711);
const runAs = ensureLabUser();
const hosts: LabHost[] = [
  { id: 'db1', address: '127.0.17.11', roles: ['db'], sshPort: LAB_SSH_PORT, rootDir: join(dir, 'hosts', 'db1') },
  { ...LAB_DB_REPLICA, address: '127.0.17.12', sshPort: LAB_SSH_PORT, rootDir: join(dir, 'hosts', 'db2') },
];
const daemons = new DaemonSet(join(dir, 'logs'));
const abort = new AbortController();
const ctx: LabContext = { dir, hosts, signal: abort.signal, log: () => undefined, spawnDaemon: (n, c, a, o) => daemons.spawn(n, c, a, o) };
const component = new PostgresqlComponent(runAs);

/** What baton's probe reads on a host, run as the lab's login user like its sessions. */
function read(host: LabHost): Promise<PostgresqlSnapshot | string> {
  const i = labPgInstance(dir, host, runAs);
  const [command, args] = asUser(runAs, 'sh', ['-c', postgresqlProbeCommand({ host: i.socketDir, port: i.port })]);
  return new Promise((resolve) =>
    execFile(command, args, { cwd: '/' }, (_e, stdout) => {
      const r = parsePostgresqlProbe(stdout, Date.now());
      resolve(r.kind === 'snapshot' ? r.snapshot : r.message);
    }),
  );
}

async function until(what: string, host: LabHost, test: (s: PostgresqlSnapshot) => boolean, ms = 15_000): Promise<PostgresqlSnapshot> {
  const deadline = Date.now() + ms;
  let last: PostgresqlSnapshot | string = '';
  while (Date.now() < deadline) {
    last = await read(host);
    if (typeof last !== 'string' && test(last)) return last;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 400)}`);
}

const [db1, db2] = hosts as [LabHost, LabHost];
const keys = (s: PostgresqlSnapshot) => postgresqlAlerts(s).map((a) => a.key);

describe.skipIf(!installed)('lab postgresql component', () => {
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

  it('comes up streaming, with the write load moving WAL', async () => {
    const primary = await until('db2 streaming on db1', db1, (s) => s.standbys.some((l) => l.name === 'db2' && l.state === 'streaming'));
    expect(primary.role).toBe('primary');
    const standby = await until('db2 streaming', db2, (s) => s.recovery?.receiver?.status === 'streaming');
    expect(keys(standby)).toEqual([]);
    const later = await until('WAL moves', db1, (s) => s.walLsn !== primary.walLsn, 5000);
    expect(later.walLsn).not.toBe(primary.walLsn);
    expect((await component.status()).healthy).toBe(true);
  }, 30_000);

  it('postgresql:replay pauses replay: paused, and the replay delay grows', async () => {
    await component.fail('postgresql:replay');
    const s = await until('a growing delay', db2, (x) => x.recovery?.paused === true && (x.recovery.replayDelayMs ?? 0) > 500, 5000);
    expect(keys(s)).toContain('paused');
    expect((await component.status()).failed).toEqual(['postgresql:replay']);
    await component.heal('postgresql:replay');
    await until('caught up', db2, (x) => x.recovery?.paused === false && x.recovery.replayDelayMs === 0, 10_000);
  }, 30_000);

  it('postgresql:replication breaks primary_conninfo: not streaming, until healed', async () => {
    await component.fail('postgresql:replication');
    const s = await until('no receiver', db2, (x) => x.recovery?.receiver?.status !== 'streaming');
    expect(keys(s)).toContain('not-streaming');
    await component.heal('postgresql:replication');
    await until('streaming again', db2, (x) => x.recovery?.receiver?.status === 'streaming', 20_000);
  }, 45_000);

  it('postgresql:primary stops the primary: db1 does not answer, db2 stops streaming; healing starts it again', async () => {
    await component.fail('postgresql:primary');
    expect(await read(db1)).toMatch(/^postgresql: connection to server on socket/);
    await until('db2 not streaming', db2, (x) => x.recovery?.receiver?.status !== 'streaming');
    await component.heal('postgresql:primary');
    await until('streaming again', db2, (x) => x.recovery?.receiver?.status === 'streaming', 20_000);
  }, 60_000);
});
