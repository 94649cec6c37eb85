import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../src/transport/local.js';
import { TransportError, type StateChange, type Transport } from '../../src/transport/types.js';

/** A process is gone when it no longer exists or is only a zombie awaiting its reaper. */
function isAlive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    if (!existsSync(stat)) return false;
    const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('LocalTransport', () => {
  let transport: LocalTransport;
  afterEach(async () => {
    await transport.close();
  });

  async function connected(options?: { commandTimeoutMs?: number }): Promise<LocalTransport> {
    transport = new LocalTransport('local', options);
    await transport.connect();
    return transport;
  }

  it('reports connect and close to listeners, and has no host key', async () => {
    transport = new LocalTransport('here');
    const changes: StateChange[] = [];
    transport.onState((c) => changes.push(c));
    expect(transport.state).toBe('connecting');
    await transport.connect();
    expect(transport.state).toBe('up');
    const asTransport: Transport = transport;
    expect(asTransport.hostKeyFingerprint).toBeUndefined();
    await transport.close();
    expect(changes.map((c) => c.state)).toEqual(['up', 'unreachable']);
    expect(changes[0]?.reason).toMatch(/^here:/);
  });

  it('refuses commands before connect', async () => {
    transport = new LocalTransport('here');
    await expect(transport.run('true')).rejects.toBeInstanceOf(TransportError);
  });

  it('separates stdout from stderr and reports the exit code', async () => {
    const t = await connected();
    const result = await t.run('echo out; echo err >&2; exit 3');
    expect(result).toMatchObject({ stdout: 'out\n', stderr: 'err\n', code: 3, timedOut: false });
    expect(result.signal).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(0);
    expect((await t.exec('true')).code).toBe(0);
  });

  it('gives commands no stdin', async () => {
    const t = await connected();
    expect(await t.run('cat; echo "rc=$?"')).toMatchObject({ stdout: 'rc=0\n', code: 0 });
  });

  it('runs run() calls one at a time, in order', async () => {
    const t = await connected();
    const log: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => log.push(name));
    const started = Date.now();
    await Promise.all([
      track('slow', t.run('sleep 0.3')),
      track('failing', t.run('exit 1')),
      track('fast', t.run('true')),
    ]);
    expect(log).toEqual(['slow', 'failing', 'fast']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('runs another lane beside a command hung in the main one', async () => {
    const t = await connected();
    const log: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => log.push(name));
    await Promise.all([track('slow', t.run('sleep 0.3')), track('other lane', t.run('true', { lane: 'disks' }))]);
    expect(log).toEqual(['other lane', 'slow']);
  });

  it('runs exec() in parallel with run()', async () => {
    const t = await connected();
    const log: string[] = [];
    await Promise.all([t.run('sleep 0.4').then(() => log.push('run')), t.exec('true').then(() => log.push('exec'))]);
    expect(log).toEqual(['exec', 'run']);
  });

  it('on timeout kills the command and the children it started', async () => {
    const t = await connected({ commandTimeoutMs: 30_000 });
    const started = Date.now();
    const result = await t.exec('sleep 30 & echo $!; sleep 30', { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ timedOut: true, code: null, signal: 'SIGKILL' });
    const child = Number(result.stdout.trim());
    expect(child).toBeGreaterThan(1);
    expect(await until(() => !isAlive(child))).toBe(true);
  });

  it('applies the constructor timeout by default', async () => {
    const t = await connected({ commandTimeoutMs: 200 });
    expect(await t.run('sleep 30')).toMatchObject({ timedOut: true, code: null });
    expect((await t.run('echo next')).stdout).toBe('next\n');
  });

  it('kills commands still running when closed', async () => {
    const t = await connected();
    const pending = t.exec('sleep 30');
    await new Promise((r) => setTimeout(r, 100));
    await t.close();
    expect(await pending).toMatchObject({ code: null, signal: 'SIGKILL', timedOut: false });
  });
});
