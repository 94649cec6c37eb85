// A login that greets (a ~/.bashrc that echoes, a banner script) prints
// before baton's shell reads its first request, on stdout and on stderr.
// That greeting is not any command's output: over a real sshd whose logins
// greet, every command's output is exactly its own and `--once` samples the
// host like any other. SFTP cannot work there (sshd starts sftp-server
// through the login shell, as for scp and sftp): the error says why.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import type { TransportError } from '../../src/transport/types.js';
import { sessionOptions } from '../helpers/session-options.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
let fleet: Fleet;
let inventory: string;
let session: Session | undefined;

beforeAll(async () => {
  // h1 greets at every login; h2 is a plain host beside it.
  fleet = await startFleet({ hosts: 2, perProcess: 1, firstAddress: '127.0.51.1', ids: ['chatty1', 'plain2'], chattyLogins: [0] });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
});
afterAll(async () => {
  await session?.monitor.stop();
  await fleet?.stop();
});

describe('a host whose logins greet', () => {
  it('greets for real: a plain ssh session shows the greeting before the command\'s output', () => {
    const r = spawnSync('ssh', ['-F', fleet.sshConfigFile, 'chatty1', 'echo mine'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toBe('Welcome to a chatty login\nmine\n');
    expect(r.stderr).toContain('chatty login: a notice on stderr');
  });

  it('gives each command exactly its own output, in the long-lived shells and the pool', async () => {
    session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile }));
    const t = session.transports.get('chatty1')!;
    await t.connect();
    const first = await t.run("printf 'one'; printf 'err' >&2");
    expect(first.stdout).toBe('one');
    expect(first.stderr).toBe('err');
    expect(first.code).toBe(0);
    expect((await t.run('echo two', { inline: true })).stdout).toBe('two\n');
    // A command of its own lane and one of the pool each start a new shell, which greets again.
    expect((await t.run('echo three', { lane: 'other' })).stdout).toBe('three\n');
    const pooled = await t.exec('echo four; exit 3');
    expect(pooled.stdout).toBe('four\n');
    expect(pooled.stderr).toBe('');
    expect(pooled.code).toBe(3);
  });

  it('cannot serve SFTP (sshd starts sftp-server through the login shell), and the error says why', async () => {
    const chatty = session!.transports.get('chatty1')!;
    const plain = session!.transports.get('plain2')!;
    await plain.connect();
    const local = join(fleet.dir, 'upload.txt');
    writeFileSync(local, 'payload\n');
    const failure = await chatty.upload(local, join(fleet.dir, 'chatty.txt')).then(() => undefined, (err: unknown) => err as TransportError);
    expect(failure?.message).toBe('chatty1: cannot open SFTP: the host sent text before SFTP began ("Welc"…): the login prints something');
    expect(failure?.hint).toMatch(/make the login quiet when not interactive/);
    expect((await plain.upload(local, join(fleet.dir, 'plain.txt'))).bytes).toBe(8);
  });

  it('is sampled by --once like the plain host', () => {
    const r = spawnSync(process.execPath, [CLI, '--once', '--json', '--sample-gap', '0.2', '-i', inventory, '--known-hosts', fleet.knownHostsFile], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const hosts = (JSON.parse(r.stdout) as { hosts: { id: string; state: string; metrics: { cpuPercent: number | null } | null }[] }).hosts;
    for (const h of hosts) {
      expect(h.state, h.id).toBe('up');
      expect(typeof h.metrics?.cpuPercent, h.id).toBe('number');
    }
  });
});
