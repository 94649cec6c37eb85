// The lab fleet is driven with the real OpenSSH client: if `ssh` can log in,
// so can baton; if `ssh` is refused after kill(), the host is truly gone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { checkHostKey, hostEntries, parseKnownHosts } from '../../src/transport/known-hosts.js';
import { processesMentioning } from '../helpers/processes.js';

/** Runs real ssh against a fleet host; bounded by ConnectTimeout and a kill timer. */
function ssh(fleet: Fleet, index: number, command: string, timeoutMs = 20_000) {
  const host = fleet.hosts[index];
  if (!host) throw new Error(`no host ${index}`);
  const started = Date.now();
  const r = spawnSync('ssh', ['-F', fleet.sshConfigFile, '-p', String(host.port), `${fleet.user}@${host.address}`, command], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}


/** The sshd listeners: our own children, not the per-connection processes they fork. */
function listeners(dir: string): string[] {
  return processesMentioning(dir).filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p.split(':')[0]}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(process.pid);
    } catch {
      return false; // exited while we looked
    }
  });
}

describe('a 3-host fleet, one sshd per host', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3, perProcess: 1, delayedShellSeconds: { 2: 2 } });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('describes itself for ssh, pssh, known_hosts and the inventory', () => {
    expect(fleet.hosts.map((h) => [h.id, h.address])).toEqual([
      ['h001', '127.0.1.1'],
      ['h002', '127.0.1.2'],
      ['h003', '127.0.1.3'],
    ]);
    const port = fleet.hosts[0]?.port ?? 0;
    expect(port).toBeGreaterThan(0);
    expect(readFileSync(fleet.psshHostsFile, 'utf8')).toBe(fleet.hosts.map((h) => `${fleet.user}@${h.address}:${port}\n`).join(''));
    const { entries, problems } = parseKnownHosts(readFileSync(fleet.knownHostsFile, 'utf8'), fleet.knownHostsFile);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(3);
    const blob = entries[0]?.key ?? Buffer.alloc(0);
    for (const h of fleet.hosts) expect(checkHostKey(hostEntries(entries, h.address, h.port), blob).status).toBe('known');
    const yaml = fleet.inventoryYaml();
    expect(yaml).toContain('h003:');
    expect(yaml).toContain(`address: 127.0.1.3`);
    expect(yaml).toContain(`identity: ${fleet.identityFile}`);
    expect(fleet.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('lets real ssh log in to every host with strict host key checking', () => {
    for (const index of [0, 1]) {
      const r = ssh(fleet, index, 'echo "$SSH_CONNECTION"');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // The server side of the connection is the host's own address.
      expect(r.stdout.trim().split(' ')[2]).toBe(fleet.hosts[index]?.address);
    }
    const alias = spawnSync('ssh', ['-F', fleet.sshConfigFile, 'h001', 'true'], { timeout: 20_000 });
    expect(alias.status).toBe(0);
  });

  it('makes a delayed host wait before each command, and only that host', () => {
    const slow = ssh(fleet, 2, 'echo slow');
    expect(slow.code).toBe(0);
    expect(slow.stdout).toBe('slow\n');
    expect(slow.ms).toBeGreaterThanOrEqual(2000);
    expect(ssh(fleet, 0, 'true').ms).toBeLessThan(2000);
  });

  it('kill(1) ends the host and its open sessions, not the others; restart(1) brings it back', async () => {
    const host = fleet.hosts[1];
    if (!host) throw new Error('no host 1');
    const session = spawn('ssh', ['-F', fleet.sshConfigFile, 'h002', 'echo started; sleep 30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ended = new Promise<number | null>((resolve) => session.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        session.stdout.once('data', () => resolve());
        setTimeout(() => reject(new Error('session did not start')), 15_000);
      });
      const bystander = spawn('ssh', ['-F', fleet.sshConfigFile, 'h001', 'sleep 1; echo alive'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let bystanderOut = '';
      bystander.stdout.on('data', (d: Buffer) => (bystanderOut += d.toString()));
      const bystanderDone = new Promise<number | null>((resolve) => bystander.once('exit', (code) => resolve(code)));

      const killedAt = Date.now();
      await fleet.kill(1);
      const code = await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
      expect(code).toBe(255);
      expect(Date.now() - killedAt).toBeLessThan(5000);

      const refused = ssh(fleet, 1, 'true');
      expect(refused.code).toBe(255);
      expect(refused.stderr).toMatch(/Connection refused/);
      expect(await bystanderDone).toBe(0);
      expect(bystanderOut).toBe('alive\n');
      expect(ssh(fleet, 0, 'true').code).toBe(0);
      expect(ssh(fleet, 2, 'true').code).toBe(0);
    } finally {
      session.kill('SIGKILL');
    }

    await fleet.restart(1);
    expect(ssh(fleet, 1, 'true').code).toBe(0);
  });

  it('restart(1, { newHostKey }) presents a key known_hosts does not have', async () => {
    const before = fleet.hosts[1]?.hostKeyFingerprint;
    await fleet.restart(1, { newHostKey: true });
    expect(fleet.hosts[1]?.hostKeyFingerprint).not.toBe(before);
    const r = ssh(fleet, 1, 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(ssh(fleet, 0, 'true').code).toBe(0);
  });

  it('refuses to kill one host of a shared sshd', async () => {
    const shared = await startFleet({ hosts: 2, perProcess: 2, firstAddress: '127.0.2.1' });
    try {
      await expect(shared.kill(0)).rejects.toThrow(/perProcess: 1/);
    } finally {
      await shared.stop();
    }
  });

  it('stop() leaves no process behind and removes its temp dir', async () => {
    const dir = fleet.dir;
    expect(listeners(dir)).toHaveLength(3);
    await fleet.stop();
    expect(processesMentioning(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(ssh(fleet, 0, 'true').code).toBe(255);
  });
});

describe('a 40-host fleet, 16 addresses per sshd', () => {
  let fleet: Fleet;
  afterAll(async () => {
    await fleet?.stop();
  });

  it('comes up as 3 processes and every host answers', async () => {
    fleet = await startFleet({ hosts: 40, perProcess: 16, firstAddress: '127.0.60.250' });
    expect(fleet.hosts.at(-1)?.address).toBe('127.0.61.33');
    expect(listeners(fleet.dir)).toHaveLength(3);
    // Real ssh to every host at once, by the aliases in the generated ssh_config.
    const codes = await Promise.all(
      fleet.hosts.map(
        (h) =>
          new Promise<number | null>((resolve) => {
            const child = spawn('ssh', ['-F', fleet.sshConfigFile, h.id, 'true'], { stdio: 'ignore', timeout: 30_000 });
            child.once('exit', (code) => resolve(code));
          }),
      ),
    );
    expect(codes).toEqual(fleet.hosts.map(() => 0));
  }, 60_000);
});

describe('options are checked', () => {
  it('rejects addresses outside 127.0.0.0/8 and too many addresses per process', async () => {
    await expect(startFleet({ hosts: 1, firstAddress: '10.0.0.1' })).rejects.toThrow(/127\.0\.0\.0\/8/);
    await expect(startFleet({ hosts: 2, firstAddress: '127.255.255.254' })).rejects.toThrow(/leave 127/);
    await expect(startFleet({ hosts: 1, perProcess: 17 })).rejects.toThrow(/1\.\.16/);
  });
});
