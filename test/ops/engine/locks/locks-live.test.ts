// Both lock backends against real components: lock directories over real
// sshd, etcd leases through etcdctl over the same SSH connections to a real
// etcd. Two "consoles" are two sessions with their own connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { openSession, type Session } from '../../../../src/cli/session.js';
import { startFleet, type Fleet } from '../../../../src/lab/sshd-fleet.js';
import { executeAction } from '../../../../src/ops/engine/execute.js';
import { createLockManager } from '../../../../src/ops/engine/locks/create-lock-manager.js';
import { confirmLevel, newActionId } from '../../../../src/ops/engine/plan.js';
import { lockBreakAction } from '../../../../src/ops/locks/lock-break-action.js';
import { DirLockManager } from '../../../../src/ops/engine/locks/dir-locks.js';
import { LockHeldError, type LockHolder, type LockManager } from '../../../../src/ops/engine/locks/lock-types.js';
import { sessionOptions } from '../../../helpers/session-options.js';

const ETCD = '127.0.40.4';
const ENDPOINT = `http://${ETCD}:23790`;
const TTL_MS = 2_000;
let fleet: Fleet;
let etcd: ChildProcess | undefined;
let etcdDir = '';
let dirInventory = '';
let etcdInventory = '';
const sessions: Session[] = [];

const holder = (who: string, actionId: string): LockHolder => ({ user: who, host: 'console', pid: process.pid, action: `exec 'uptime' by ${who}`, actionId, since: Date.now() });

async function console(inventory: string): Promise<Session> {
  const s = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile }));
  sessions.push(s);
  return s;
}

/** Retries until fn resolves or the deadline passes (then its last error). */
async function eventually<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const managerOf = (s: Session, ttlMs = TTL_MS): LockManager => createLockManager(s.inventory, s.transports, ttlMs);

async function refusal(p: Promise<unknown>): Promise<LockHeldError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof LockHeldError)) throw new Error(`expected a LockHeldError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, firstAddress: '127.0.39.1' });
  const doc = parse(fleet.inventoryYaml()) as { hosts: Record<string, Record<string, unknown>> };
  dirInventory = join(fleet.dir, 'dir-locks.yaml');
  writeFileSync(dirInventory, stringify(doc));
  const first = Object.keys(doc.hosts)[0]!;
  doc.hosts[first] = { ...doc.hosts[first], roles: { etcd: { endpoint: ENDPOINT } } };
  etcdInventory = join(fleet.dir, 'etcd-locks.yaml');
  writeFileSync(etcdInventory, stringify(doc));
  etcdDir = mkdtempSync(join(tmpdir(), 'baton-lock-etcd-'));
  const peer = `http://${ETCD}:23800`;
  etcd = spawn('etcd', ['--name', 'lock1', '--data-dir', join(etcdDir, 'data'), '--listen-client-urls', ENDPOINT, '--advertise-client-urls', ENDPOINT, '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `lock1=${peer}`], { stdio: 'ignore' });
}, 60_000);

afterAll(async () => {
  await Promise.all(sessions.map((s) => Promise.all([...s.transports.values()].map((t) => t.close()))));
  etcd?.kill('SIGKILL');
  if (etcdDir) rmSync(etcdDir, { recursive: true, force: true });
  await fleet?.stop();
});

describe('lock directories on the hosts (no etcd in the inventory)', () => {
  it('let exactly one of two racing consoles take a key, and name the holder to the other', async () => {
    const [a, b] = [managerOf(await console(dirInventory)), managerOf(await console(dirInventory))];
    expect(a.backend).toBe('dir');
    const key = `host:${fleet.hosts[0]!.id}`;
    const results = await Promise.allSettled([a.acquire([key], holder('alice', 'A1')), b.acquire([key], holder('bob', 'B1'))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(LockHeldError);
    const refused = lost[0]!.reason as LockHeldError;
    expect(refused.key).toBe(key);
    expect(['alice', 'bob']).toContain(refused.holder.user);
    expect(refused.message).toMatch(/held by (alice|bob)@console \(pid \d+\) since/);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    const again = await a.acquire([key], holder('alice', 'A2'));
    await again.release();
  });

  it('are taken and given back inside the host\'s pooled shell without leaving it changed (noclobber off again)', async () => {
    const s = await console(dirInventory);
    const hostId = fleet.hosts[0]!.id;
    const t = s.transports.get(hostId)!;
    const lock = await managerOf(s).acquire([`host:${hostId}`], holder('alice', 'A0'));
    await lock.release();
    const file = join(fleet.dir, `clobber-${process.pid}`);
    const r = await t.exec(`echo one > ${file} && echo two > ${file} && cat ${file}`);
    expect(r.stdout).toBe('two\n');
  });

  it('take all keys or none, across hosts', async () => {
    const [a, b] = [managerOf(await console(dirInventory)), managerOf(await console(dirInventory))];
    const [k1, k2] = fleet.hosts.map((h) => `host:${h.id}`) as [string, string];
    const held = await a.acquire([k2], holder('alice', 'A3'));
    const err = await refusal(b.acquire([k1, k2], holder('bob', 'B3')));
    expect(err.key).toBe(k2);
    // bob's half-taken k1 was given back
    expect((await a.holders([k1])).size).toBe(0);
    await held.release();
  });

  it('free a lock whose holder stopped renewing it, and tell the old holder it lost it', async () => {
    const dying = await console(dirInventory);
    const hostId = fleet.hosts[1]!.id;
    const key = `host:${hostId}`;
    const first = await new DirLockManager({ transports: dying.transports, hostFor: () => hostId, ttlMs: 1_000 }).acquire([key], holder('gone', 'G1'));
    const lostReasons: string[] = [];
    first.onLost((r) => lostReasons.push(r));
    const other = managerOf(await console(dirInventory), 1_000);
    // While its holder renews it, the lock holds past its TTL.
    await new Promise((r) => setTimeout(r, 2_500));
    await expect(other.acquire([key], holder('bob', 'B4'))).rejects.toBeInstanceOf(LockHeldError);
    // The holder's console dies: its connection goes, its renewals stop.
    await dying.transports.get(hostId)!.close();
    const taken = await eventually(() => other.acquire([key], holder('bob', 'B5')), 8_000);
    expect(taken.keys).toEqual([key]);
    await eventually(async () => lostReasons[0] ?? Promise.reject(new Error('not lost yet')), 5_000);
    expect(lostReasons[0]).toMatch(/not renewed/);
    await taken.release();
  });

  it('are broken by lock.break: the plan names the holder and asks for the typed word; verify reads the lock again', async () => {
    const holderSession = await console(dirInventory);
    const key = `host:${fleet.hosts[0]!.id}`;
    const held = await managerOf(holderSession).acquire([key], holder('alice', 'A9'));
    const breaker = await console(dirInventory);
    const live = { state: breaker.store.getState(), inventory: breaker.inventory, transports: breaker.transports, now: Date.now };
    const ctx = async () => ({ state: live.state, inventory: live.inventory, now: Date.now(), who: { user: 'bob', host: 'console', pid: process.pid }, newId: () => newActionId(Date.now()), facts: await lockBreakAction.observe!(live, { key }) });
    const plan = lockBreakAction.plan(await ctx(), { key });
    if ('refused' in plan) throw new Error(plan.reason);
    expect(confirmLevel(plan)).toBe('typed');
    expect(plan.changes[0]).toMatchObject({ target: key, before: expect.stringMatching(/^alice@console \(pid \d+\) since .*: exec 'uptime' by alice$/), after: 'free' });
    const journalDir = mkdtempSync(join(tmpdir(), 'baton-lock-break-'));
    const result = await executeAction(plan, lockBreakAction, { live, locks: managerOf(breaker), journalDir, who: { user: 'bob', host: 'console', pid: process.pid } });
    if ('refused' in result) throw new Error(result.reason);
    expect(result.state).toBe('ok');
    expect(result.verify.detail).toBe(`${key} is free`);
    expect(readFileSync(result.journal, 'utf8')).toContain('"t":"end","at"');
    rmSync(journalDir, { recursive: true, force: true });
    expect(lockBreakAction.plan(await ctx(), { key })).toMatchObject({ refused: true, reason: `${key} is not locked` });
    await held.release();
  });

  it('keep hostile key names inert', async () => {
    const m = managerOf(await console(dirInventory));
    const key = `host:${fleet.hosts[0]!.id}:$(touch /tmp/baton-pwned);'x`;
    const h = await m.acquire([key], holder('alice', 'A5'));
    expect([...(await m.holders([key])).keys()]).toEqual([key]);
    await h.release();
    expect((await m.holders([key])).size).toBe(0);
  });
});

describe('etcd leases (the inventory has an etcd cluster)', () => {
  beforeAll(async () => {
    const s = await console(etcdInventory);
    const m = managerOf(s);
    await eventually(() => m.holders(['x']), 20_000);
  }, 30_000);

  it('let exactly one of two racing consoles take a key, with a fencing token', async () => {
    const [a, b] = [managerOf(await console(etcdInventory)), managerOf(await console(etcdInventory))];
    expect(a.backend).toBe('etcd');
    const key = 'pacemaker:prod:resource:web-group';
    const results = await Promise.allSettled([a.acquire([key], holder('alice', 'A1')), b.acquire([key], holder('bob', 'B1'))]);
    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<LockManager['acquire']>>>[];
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(LockHeldError);
    expect(won[0]!.value.token).toMatch(/^\d+$/);
    const holders = await b.holders([key]);
    expect(holders.get(key)?.user).toBe((lost[0]!.reason as LockHeldError).holder.user);
    await won[0]!.value.release();
    expect((await b.holders([key])).size).toBe(0);
    const next = await b.acquire([key], holder('bob', 'B2'));
    expect(Number(next.token)).toBeGreaterThan(Number(won[0]!.value.token));
    await next.release();
  });

  it('free a key when its holder dies (the lease expires), and tell the holder', async () => {
    const dying = await console(etcdInventory);
    const a = managerOf(dying, 2_000);
    const b = managerOf(await console(etcdInventory), 2_000);
    const key = 'haproxy:lb1:app/web2';
    const held = await a.acquire([key], holder('alice', 'A3'));
    const lost: string[] = [];
    held.onLost((r) => lost.push(r));
    await expect(b.acquire([key], holder('bob', 'B3'))).rejects.toBeInstanceOf(LockHeldError);
    await Promise.all([...dying.transports.values()].map((t) => t.close()));
    const taken = await eventually(() => b.acquire([key], holder('bob', 'B4')), 8_000);
    await eventually(async () => lost[0] ?? Promise.reject(new Error('not lost yet')), 5_000);
    await taken.release();
  });

  it('can be broken by another console (the caller asks for the typed confirmation)', async () => {
    const [a, b] = [managerOf(await console(etcdInventory)), managerOf(await console(etcdInventory))];
    const key = 'etcd:etcd:member:lock1';
    const held = await a.acquire([key], holder('alice', 'A5'));
    await b.breakLock(key);
    const taken = await b.acquire([key], holder('bob', 'B5'));
    await taken.release();
    await held.release();
  });
});
