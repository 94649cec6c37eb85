// The engine against real OpenSSH daemons on loopback: metrics arrive over
// persistent connections, host keys are enforced, dead and slow hosts are
// isolated, hung commands are killed on the host.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { fleetProcesses } from '../helpers/fleet-processes.js';
import { waitFor } from '../helpers/wait-for.js';
import { sessionOptions } from '../helpers/session-options.js';

const DELAYED = 3;
let fleet: Fleet;
let inventory: string;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 4, perProcess: 1, delayedShellSeconds: { [DELAYED]: 3 } });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
});
afterAll(async () => {
  await fleet?.stop();
});

describe('monitoring a real sshd fleet', () => {
  let session: Session;
  let started: number;
  beforeAll(async () => {
    session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile }));
    started = Date.now();
    session.monitor.start();
  });
  afterAll(async () => {
    await session?.monitor.stop();
  });
  const host = (i: number) => session.store.getState().hosts[fleet.hosts[i]!.id]!;

  it('gets metrics from every fast host before the slow one answers', async () => {
    await waitFor(() => [0, 1, 2].every((i) => host(i).metrics?.cpuPercent != null), 8000, 'second samples from fast hosts');
    const fastDone = Date.now() - started;
    expect(host(DELAYED).metrics).toBeUndefined();
    expect(fastDone).toBeLessThan(3000);
    const m = host(0).metrics!;
    expect(m.cores).toBeGreaterThan(0);
    expect(m.memUsedPercent).toBeGreaterThan(0);
    expect(m.uptimeSeconds).toBeGreaterThan(0);
    expect(m.kernel).toMatch(/^\d+\.\d+/);
    expect(host(0).hostKeyFingerprint).toBe(fleet.hostKeyFingerprint);
    await waitFor(() => host(DELAYED).metrics, 12_000, 'the delayed host');
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it('marks a killed host unreachable while the others keep updating, and recovers', async () => {
    await fleet.kill(1);
    await waitFor(() => host(1).conn === 'unreachable', 5000, 'host 1 unreachable');
    const before = host(0).updatedAt!;
    await waitFor(() => host(0).updatedAt! > before + 400, 3000, 'host 0 still updating');
    expect(host(2).conn).toBe('up');
    const events = session.store.getState().events.filter((e) => e.hostId === fleet.hosts[1]!.id);
    expect(events.map((e) => e.message)).toEqual([expect.stringMatching(/up -> unreachable: .*connection (lost|refused)/), expect.stringMatching(/connecting -> up/)]);
    await fleet.restart(1);
    session.monitor.refreshNow();
    await waitFor(() => host(1).conn === 'up' && host(1).updatedAt! > Date.now() - 1000, 10_000, 'host 1 back up');
  });

  it('times out a hung command and kills it on the host', async () => {
    const t = session.transports.get(fleet.hosts[2]!.id)!;
    const marker = 'sleep 41.25';
    const r = await t.run(`${marker}; echo never`, { timeoutMs: 800 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(r.durationMs).toBeLessThan(5000);
    await waitFor(() => !execFileSync('ps', ['-eo', 'args']).toString().includes(marker), 3000, 'remote sleep killed');
    const after = await t.run('echo alive');
    expect(after.stdout).toBe('alive\n');
    const ex = await t.exec('sleep 42.5', { timeoutMs: 500 });
    expect(ex.timedOut).toBe(true);
    await waitFor(() => !execFileSync('ps', ['-eo', 'args']).toString().includes('sleep 42.5'), 3000, 'exec sleep killed');
  });

  it('runs polls over one connection: no new sshd session per poll', async () => {
    const sessionsNow = () => fleetProcesses(fleet.dir).filter((args) => /^sshd: \S+@notty/.test(args)).length;
    const before = sessionsNow();
    expect(before).toBeGreaterThan(0);
    const t0 = host(0).updatedAt!;
    await waitFor(() => host(0).updatedAt! > t0 + 1000, 4000, 'two more polls');
    expect(sessionsNow()).toBe(before);
  });
});

describe('host keys', () => {
  it('refuses an unknown host key, naming the fingerprint and how to trust it', async () => {
    const empty = join(fleet.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const session = await openSession(sessionOptions({ inventory, knownHosts: empty }));
    try {
      await session.monitor.snapshot(0);
      const h = session.store.getState().hosts[fleet.hosts[0]!.id]!;
      expect(h.conn).toBe('hostkey-unknown');
      expect(h.lastError?.message).toContain(fleet.hostKeyFingerprint);
      expect(h.lastError?.message).toContain('ssh-keyscan');
    } finally {
      await session.monitor.stop();
    }
  });

  it('with --accept-new records the key the way ssh-keygen finds it', async () => {
    const file = join(fleet.dir, 'accept_new_known_hosts');
    writeFileSync(file, '');
    const session = await openSession(sessionOptions({ inventory, knownHosts: file, acceptNew: true }));
    try {
      await session.monitor.snapshot(0);
      expect(session.store.getState().hosts[fleet.hosts[0]!.id]!.conn).toBe('up');
    } finally {
      await session.monitor.stop();
    }
    const h = fleet.hosts[0]!;
    await waitFor(() => execFileSync('ssh-keygen', ['-F', `[${h.address}]:${h.port}`, '-f', file]).toString().includes('ssh-ed25519'), 3000, 'key recorded');
  });

  it('refuses a changed host key loudly and never connects', async () => {
    await fleet.restart(2, { newHostKey: true });
    const session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile }));
    try {
      await session.monitor.snapshot(0);
      const h = session.store.getState().hosts[fleet.hosts[2]!.id]!;
      expect(h.conn).toBe('hostkey-mismatch');
      expect(h.lastError?.message).toMatch(/HAS CHANGED/);
      expect(h.lastError?.message).toContain('ssh-keygen -R');
      expect(h.metrics).toBeUndefined();
    } finally {
      await session.monitor.stop();
      await fleet.restart(2);
    }
  });
});

describe('authentication and jump hosts', () => {
  it('reports auth-failed with a key the hosts do not accept', async () => {
    const other = join(fleet.dir, 'stranger_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile, identity: other }));
    try {
      await session.monitor.snapshot(0);
      const h = session.store.getState().hosts[fleet.hosts[0]!.id]!;
      expect(h.conn).toBe('auth-failed');
      expect(h.lastError?.hint).toMatch(/authorized_keys/);
    } finally {
      await session.monitor.stop();
    }
  });

  it('reaches a host through a ProxyJump host', async () => {
    const [jump, target] = [fleet.hosts[0]!, fleet.hosts[1]!];
    const file = join(fleet.dir, 'jump.yaml');
    writeFileSync(
      file,
      [
        'hosts:',
        `  behind:`,
        `    address: ${target.address}`,
        `    port: ${target.port}`,
        `    identity: ${fleet.identityFile}`,
        `    jump: ${fleet.user}@${jump.address}:${jump.port}`,
        '',
      ].join('\n'),
    );
    const session = await openSession(sessionOptions({ inventory: file, knownHosts: fleet.knownHostsFile, identity: fleet.identityFile }));
    try {
      await session.monitor.snapshot(200);
      const h = session.store.getState().hosts.behind!;
      expect(h.conn).toBe('up');
      expect(h.metrics?.cores).toBeGreaterThan(0);
    } finally {
      await session.monitor.stop();
    }
  });
});
