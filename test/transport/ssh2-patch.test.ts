// patches/ssh2+1.17.0.patch against a real sshd. After login OpenSSH
// announces its host keys (hostkeys-00@openssh.com); stock ssh2 always asks
// the server to prove them, a round trip and a signature per key at every
// login: patched, it asks only when someone listens for the keys. Stock ssh2
// also writes each encrypted packet in three pieces (length, ciphertext,
// tag), three segments on a no-delay socket: patched, what one tick sends
// leaves in one write.
import ssh2 from 'ssh2';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
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

/** A socket that records the size of each write it hands the kernel (one write or writev each). */
function recordingSocket(writes: number[]): Socket {
  const sock = new Socket();
  const write = sock._write.bind(sock);
  const writev = sock._writev!.bind(sock);
  sock._write = (chunk: Buffer, encoding, callback) => {
    writes.push(chunk.length);
    write(chunk, encoding, callback);
  };
  sock._writev = (chunks, callback) => {
    writes.push(chunks.reduce((n, c) => n + (c.chunk as Buffer).length, 0));
    writev(chunks, callback);
  };
  return sock;
}

/** Logs in, runs `true`, and returns ssh2's debug lines, the keys it proved and the socket's writes. */
function login(listen: boolean): Promise<{ debug: string[]; proved: number | undefined; writes: number[] }> {
  const host = fleet.hosts[0]!;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const debug: string[] = [];
    const writes: number[] = [];
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
          resolve({ debug, proved, writes });
        });
      });
    });
    const sock = recordingSocket(writes);
    sock.connect(host.port, host.address);
    client.connect({
      sock,
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

  it('sends each packet whole: no write is a bare length field (4 bytes) or tag (16 bytes)', async () => {
    const { writes } = await login(false);
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.filter((n) => n === 4 || n === 16)).toEqual([]);
  });
});
