// `exec` over a real sshd: commands run side by side on pooled long-lived
// shells (no new sshd session each once the pool is warm), an abort or a
// timeout kills the command on the host, and a shell that dies under a
// command gives a result with no exit code (sent, outcome unknown), never a
// rejection (which would mean "not sent").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { MAX_IDLE } from '../../src/transport/shell-pool.js';
import type { Transport } from '../../src/transport/types.js';
import { fleetProcesses } from '../helpers/fleet-processes.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';

let fleet: Fleet;
let session: Session;
let t: Transport;
let scratch: string;

/** SFTP sessions under this fleet's sshd (`sshd: USER@internal-sftp`). */
const sftpServersOfFleet = () => fleetProcesses(fleet.dir).filter((args) => args.includes('sftp')).length;
const running = (marker: string) => execFileSync('ps', ['-eo', 'args']).toString().includes(marker);

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, perProcess: 1, firstAddress: '127.0.47.1', ids: ['pool01'] });
  const inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile }));
  t = session.transports.get('pool01')!;
  await t.connect();
  scratch = mkdtempSync(join(tmpdir(), 'baton-pool-'));
});
afterAll(async () => {
  await session?.monitor.stop();
  await fleet?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('exec on pooled shells', () => {
  it('runs commands side by side: one waits for a file the other makes', async () => {
    const flag = join(scratch, 'flag');
    const waiter = t.exec(`i=0; while [ ! -e ${flag} ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; [ -e ${flag} ] && echo seen`, { timeoutMs: 10_000 });
    const maker = await t.exec(`touch ${flag} && echo made`);
    expect(maker.stdout).toBe('made\n');
    const r = await waiter;
    expect(r.stdout).toBe('seen\n');
    expect(r.code).toBe(0);
  });

  it('keeps its shells for the next commands: no new shell (sshd session) once warm', async () => {
    // $$ in a command is the pid of the shell it ran on.
    const round = () => Promise.all(Array.from({ length: MAX_IDLE }, () => t.exec('echo $$').then((r) => r.stdout.trim())));
    const warm = new Set(await round());
    const later = new Set<string>();
    for (let i = 0; i < 20; i++) for (const pid of await round()) later.add(pid);
    expect([...later].every((pid) => warm.has(pid))).toBe(true);
    expect(later.size).toBeLessThanOrEqual(MAX_IDLE);
  });

  it('an abort kills the command and its children on the host; the shell serves the next one', async () => {
    const marker = 'sleep 43.75';
    const abort = new AbortController();
    const r = t.exec(`${marker}; echo never`, { timeoutMs: 20_000, signal: abort.signal });
    await waitFor(() => running(marker), 3000, 'the remote sleep');
    abort.abort();
    const result = await r;
    expect(result.stdout).toBe('');
    expect(result.code).not.toBe(0);
    await waitFor(() => !running(marker), 3000, 'remote sleep killed');
    expect((await t.exec('echo alive')).stdout).toBe('alive\n');
  });

  it('a timeout kills the command on the host and says timedOut', async () => {
    const r = await t.exec('sleep 44.5', { timeoutMs: 400 });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    await waitFor(() => !running('sleep 44.5'), 3000, 'remote sleep killed');
  });

  it('a shell lost under its command: a result with no exit code and no signal (it may have run), not a rejection', async () => {
    // $$ in the command's subshell is the pooled shell itself.
    const r = await t.exec('kill -9 $$; sleep 1; echo late');
    expect(r.code).toBeNull();
    expect(r.signal).toBeUndefined();
    expect(r.timedOut).toBe(false);
    expect((await t.exec('echo again')).stdout).toBe('again\n');
  });

  it('file transfers share one SFTP channel: one SFTP session on the host, kept for the next transfer', async () => {
    const local = join(scratch, 'payload');
    writeFileSync(local, 'payload\n');
    for (let i = 0; i < 3; i++) await t.upload(local, join(scratch, `copy-${i}`));
    await Promise.all([0, 1, 2].map((i) => t.download(join(scratch, `copy-${i}`), join(scratch, 'back', `copy-${i}`))));
    expect(sftpServersOfFleet()).toBe(1);
  });

  it('rejects (not sent) when the connection is gone', async () => {
    await t.close();
    await expect(t.exec('echo no')).rejects.toThrow(/not connected|closed/);
  });
});
