// patches/ssh2+1.17.0.patch against a real sshd: after login OpenSSH
// announces its host keys (hostkeys-00@openssh.com); stock ssh2 always asks
// the server to prove them, a round trip and a signature per key at every
// login. Patched, it asks only when someone listens for the keys.
import ssh2 from 'ssh2';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';

const PROVE = 'hostkeys-prove-00@openssh.com';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, perProcess: 1, firstAddress: '127.0.50.1', ids: ['keys01'] });
});
afterAll(async () => {
  await fleet?.stop();
});

/** Logs in, waits a moment for the announcement, and returns ssh2's debug lines and the keys it proved. */
function login(listen: boolean): Promise<{ debug: string[]; proved: number | undefined }> {
  const host = fleet.hosts[0]!;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const debug: string[] = [];
    let proved: number | undefined;
    if (listen) client.on('hostkeys', (keys: unknown[]) => (proved = keys.length));
    client.on('error', reject);
    client.on('ready', () => {
      // Open and close a session: the announcement and any proof come and go before its reply.
      client.exec('true', (err, channel) => {
        if (err) return reject(err);
        channel.resume();
        channel.on('close', () => {
          client.end();
          resolve({ debug, proved });
        });
      });
    });
    client.connect({
      host: host.address,
      port: host.port,
      username: fleet.user,
      privateKey: readFileSync(fleet.identityFile),
      debug: (line: string) => debug.push(line),
    });
  });
}

describe('ssh2 host keys announcement (patched)', () => {
  it('asks the server to prove its keys only when something listens for them', async () => {
    const quiet = await login(false);
    expect(quiet.debug.some((l) => l.includes('hostkeys-00@openssh.com')), 'sshd announced its keys').toBe(true);
    expect(quiet.debug.filter((l) => l.includes(PROVE))).toEqual([]);

    const listening = await login(true);
    expect(listening.debug.some((l) => l.includes(PROVE))).toBe(true);
    expect(listening.proved).toBe(1);
  });
});
