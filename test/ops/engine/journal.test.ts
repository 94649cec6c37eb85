// The journal: records survive in order, a torn last line or a corrupt one
// is reported (never dropped quietly), a run whose process is gone is
// interrupted, and executeAction takes locks before the first step record.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executeAction, type ExecuteDeps } from '../../../src/ops/engine/execute.js';
import { listActions, summarize } from '../../../src/ops/engine/history.js';
import { JournalWriter, parseJournal } from '../../../src/ops/engine/journal.js';
import { resumeAction } from '../../../src/ops/engine/lifecycle.js';
import { LockHeldError, type HeldLock, type LockHolder, type LockManager } from '../../../src/ops/engine/locks/lock-types.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { ActionRegistry, type LiveContext } from '../../../src/ops/engine/registry.js';
import { execAction, planExec } from '../../../src/ops/exec/exec-action.js';
import { createBatonStore } from '../../../src/store/store.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { FakeTransport } from './fake-transport.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'baton-journal-'));
  dirs.push(d);
  return d;
};

/** In memory, for these tests only: one holder per key. */
class MemoryLocks implements LockManager {
  readonly backend = 'dir' as const;
  readonly held = new Map<string, LockHolder>();
  readonly events: string[] = [];
  async acquire(keys: readonly string[], holder: LockHolder): Promise<HeldLock> {
    for (const k of keys) {
      const other = this.held.get(k);
      if (other) throw new LockHeldError(k, other);
    }
    for (const k of keys) this.held.set(k, holder);
    this.events.push('acquire');
    return { backend: 'dir', keys, token: '42', release: async () => void keys.forEach((k) => this.held.delete(k)), onLost: () => undefined };
  }
  async holders(keys: readonly string[]) {
    return new Map(keys.filter((k) => this.held.has(k)).map((k) => [k, this.held.get(k)!]));
  }
  async breakLock(key: string) {
    this.held.delete(key);
  }
  breakStep(key: string) {
    return { hostId: 'memory', command: `true ${key}` };
  }
}

const who = { user: 'ops', host: 'laptop', pid: process.pid };
function setup(codes: Record<string, number>) {
  const hosts = Object.keys(codes);
  const inventory = { name: 'test', format: 'embedded', hosts: hosts.map((id) => ({ id, transport: 'ssh', address: id, port: 22, user: 'u', identityFiles: [], jump: [], tags: {}, vars: {}, roles: {}, groups: [], source: { file: 'x' } })), groups: {} } as Inventory;
  const store = createBatonStore(inventory);
  store.getState().applyUpdates(hosts.map((hostId) => ({ hostId, kind: 'conn', conn: 'up', at: 0 })));
  const transports = new Map(hosts.map((h) => [h, new FakeTransport(h, () => ({ code: codes[h] }))]));
  const live: LiveContext = { state: store.getState(), inventory, transports, now: Date.now };
  const plan = planExec({ state: store.getState(), inventory, now: Date.now(), who, newId: () => `run-${Math.random().toString(16).slice(2, 8)}`, facts: undefined }, { target: 'all', command: 'true', strategy: 'all', parallel: 4, timeoutMs: 1000 }) as Plan;
  return { live, plan, transports };
}

describe('journal', () => {
  it('keeps every record in order across group commits', async () => {
    const dir = tempDir();
    const j = await JournalWriter.open(dir, 'x');
    await j.append({ t: 'note', at: 1, message: 'first' });
    await Promise.all([2, 3, 4].map((at) => j.append({ t: 'note', at, message: String(at) })));
    await j.append({ t: 'note', at: 5, message: 'last' });
    await j.close();
    expect(parseJournal(readFileSync(j.path, 'utf8')).records.map((r) => r.at)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports a torn last line and a corrupt line with their text', () => {
    const text = '{"t":"note","at":1,"message":"a"}\nnot json\n{"t":"note","at":2,"message":"b"}\n{"t":"step-end","at":3,"st';
    const read = parseJournal(text);
    expect(read.records).toHaveLength(2);
    expect(read.problems).toEqual([
      { line: 2, reason: 'not JSON', text: 'not json' },
      { line: 4, reason: 'torn last line', text: '{"t":"step-end","at":3,"st' },
    ]);
  });

  it('a run with no end whose process is gone is interrupted; with its process alive, running', () => {
    const { plan } = setup({ a: 0 });
    const records = [{ t: 'begin' as const, v: 1, at: 1, who: { ...who, pid: 999_999_999 }, plan }];
    expect(summarize('x', 'p', records, [])?.state).toBe('interrupted');
    expect(summarize('x', 'p', records, [], () => true)?.state).toBe('running');
  });

  it('executeAction: lock before the first step, fencing token journaled, syslog line per host, end state', async () => {
    const dir = tempDir();
    const { live, plan, transports } = setup({ a: 0, b: 0 });
    const locks = new MemoryLocks();
    const deps: ExecuteDeps = { live, locks, journalDir: dir, who };
    const result = await executeAction(plan, execAction, deps);
    expect(result).toMatchObject({ state: 'ok' });
    const types = parseJournal(readFileSync(join(dir, `${plan.id}.jsonl`), 'utf8')).records.map((r) => r.t);
    expect(types.slice(0, 2)).toEqual(['begin', 'lock']);
    expect(types.at(-2)).toBe('verify');
    expect(types.at(-1)).toBe('end');
    expect(transports.get('a')!.commands.at(-1)).toMatch(/^logger -t baton -- 'ops@laptop action run-\w+ exec: exec "true" on a,b: ok'$/);
    expect(locks.held.size).toBe(0);
  });

  it('a held lock refuses the run before anything is journaled, naming the holder', async () => {
    const dir = tempDir();
    const { live, plan, transports } = setup({ a: 0 });
    const locks = new MemoryLocks();
    locks.held.set('host:a', { user: 'eve', host: 'other', pid: 7, action: 'kill sshd', actionId: 'z', since: 0 });
    const r = await executeAction(plan, execAction, { live, locks, journalDir: dir, who });
    expect(r).toMatchObject({ refused: true });
    expect((r as { reason: string }).reason).toMatch(/eve@other/);
    expect(transports.get('a')!.commands).toEqual([]);
    expect(await listActions(dir)).toEqual([]);
  });

  it('resume of an interrupted run runs only the hosts not journaled ok, and appends to the same journal', async () => {
    const dir = tempDir();
    const { live, plan, transports } = setup({ a: 0, b: 0 });
    const j = await JournalWriter.open(dir, plan.id);
    await j.append({ t: 'begin', v: 1, at: 1, who: { ...who, pid: 999_999_999 }, plan });
    await j.append({ t: 'step-end', at: 2, step: 'exec:a', host: 'a', attempt: 1, outcome: 'ok', rc: 0, durationMs: 1, stdout: 'done\n', stderr: '' });
    await j.close();
    appendFileSync(join(dir, `${plan.id}.jsonl`), '{"t":"step-st');
    const [before] = await listActions(dir);
    expect(before).toMatchObject({ state: 'interrupted', hostsDone: ['a'] });
    expect(before!.problems[0]!.reason).toBe('torn last line');
    const result = await resumeAction(new ActionRegistry().register(execAction), { live, locks: new MemoryLocks(), journalDir: dir, who }, plan.id);
    expect(result).toMatchObject({ state: 'ok' });
    expect(transports.get('a')!.commands.filter((c) => c === 'true')).toEqual([]);
    expect(transports.get('b')!.commands.filter((c) => c === 'true')).toEqual(['true']);
    const [after] = await listActions(dir);
    expect(after).toMatchObject({ state: 'ok', hostsDone: ['a', 'b'] });
    // The torn fragment is still reported, now as a corrupt line; the resume's records after it are whole.
    expect(after!.problems).toEqual([{ line: 3, reason: 'not JSON', text: '{"t":"step-st' }]);
    expect(parseJournal(readFileSync(join(dir, `${plan.id}.jsonl`), 'utf8')).records[2]).toMatchObject({ t: 'resume', mode: 'resume' });
  });
});
