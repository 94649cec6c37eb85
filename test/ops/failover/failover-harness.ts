// Runs a failover action the way `baton act --yes` does (parse -> observe ->
// plan -> lock -> steps -> verify -> journal) against real daemons reached
// through real LocalTransports, with the lock-dir backend and a journal in a
// temp dir. Each inventory host is a LocalTransport of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostSpec, Inventory } from '../../../src/inventory/types.js';
import { executeAction, type ActionResult } from '../../../src/ops/engine/execute.js';
import { lockHostFor } from '../../../src/ops/engine/locks/create-lock-manager.js';
import { DirLockManager } from '../../../src/ops/engine/locks/dir-locks.js';
import { newActionId, type Plan } from '../../../src/ops/engine/plan.js';
import type { AnyAction, LiveContext, Refusal } from '../../../src/ops/engine/registry.js';
import type { RunHooks } from '../../../src/ops/engine/runner.js';
import { createBatonStore } from '../../../src/store/store.js';
import { LocalTransport } from '../../../src/transport/local.js';

export function localHost(id: string, roles: HostSpec['roles']): HostSpec {
  return { id, transport: 'local', address: '127.0.0.1', port: 22, user: 'ops', identityFiles: [], jump: [], tags: {}, vars: {}, roles, groups: [], source: { file: 'failover.yaml' } };
}

export interface Harness {
  live: LiveContext;
  dir: string;
  /** The plan (or refusal) the action makes now. */
  plan(def: AnyAction, argv: string[], options?: Record<string, unknown>): Promise<Plan | Refusal>;
  /** Plans and runs it; a refusal comes back as is. */
  act(def: AnyAction, argv: string[], options?: Record<string, unknown>, hooks?: RunHooks): Promise<ActionResult | Refusal>;
  close(): Promise<void>;
}

export function harness(hosts: HostSpec[], options: { dir?: string } = {}): Harness {
  const inventory: Inventory = { name: 'failover', format: 'baton', file: 'failover.yaml', hosts, groups: {} };
  const store = createBatonStore(inventory);
  const transports = new Map(hosts.map((h) => [h.id, new LocalTransport(h.id, { commandTimeoutMs: 20_000 })]));
  const live: LiveContext = { state: store.getState(), inventory, transports, now: Date.now };
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'baton-failover-'));
  const locks = new DirLockManager({ transports, hostFor: (key) => lockHostFor(inventory, key), ttlMs: 10_000, root: join(dir, 'locks') });
  const who = { user: 'ops', host: 'test', pid: process.pid };
  const plan = async (def: AnyAction, argv: string[], options: Record<string, unknown> = {}) => {
    const args = def.parseArgs(argv, options);
    const facts = def.observe ? await def.observe(live, args) : undefined;
    const now = Date.now();
    return def.plan({ state: store.getState(), inventory, now, who, newId: () => newActionId(now), facts }, args) as Plan | Refusal;
  };
  return {
    live,
    dir,
    plan,
    async act(def, argv, options = {}, hooks) {
      const p = await plan(def, argv, options);
      if ('refused' in p) return p;
      return executeAction(p, def, { live, locks, journalDir: join(dir, 'journal'), who }, { hooks });
    },
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close()));
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
