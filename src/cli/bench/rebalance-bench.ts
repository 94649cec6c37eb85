// Rebalance figures for `baton bench --only rebalance`: the planner's time
// on a synthetic 1,000-host store (two LBs, ten backends of 100 servers,
// HAProxy's default weight 1, one host in twenty overloaded; every
// strategy; target <= 50 ms), and on the real lab the time from R
// confirmed to verified for the HAProxy lever (web2 made overloaded with
// `lab load`, traffic through the frontend), through the engine as the
// console's confirm key runs it; the weights are put back between samples.
import { join } from 'node:path';
import { askLab } from '../../lab/control-socket.js';
import { executeAction } from '../../ops/engine/execute.js';
import { journalDir } from '../../ops/engine/history.js';
import { currentOperator } from '../../ops/engine/operator.js';
import { newActionId } from '../../ops/engine/plan.js';
import { isRefusal, type LiveContext } from '../../ops/engine/registry.js';
import type { HaproxyFacts } from '../../ops/failover/haproxy/haproxy-observe.js';
import { rebalanceAction } from '../../ops/rebalance/rebalance-action.js';
import type { RebalanceFacts } from '../../ops/rebalance/rebalance-plan.js';
import { planRebalance } from '../../ops/rebalance/rebalance-plan.js';
import { seededRandom, STRATEGIES } from '../../ops/rebalance/strategies.js';
import { parseHaproxyStatus } from '../../probes/haproxy-status.js';
import type { HaproxyServer } from '../../probes/haproxy.js';
import { createBatonStore } from '../../store/store.js';
import { hostLoadPercent } from '../../store/fleet-load.js';
import { lockManagerFor } from '../action-session.js';
import type { GlobalOptions } from '../options.js';
import { socat, withBenchLab } from './bench-lab.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const PLAN_TARGET_MS = 50;

function server(backend: string, name: string, weight: number): HaproxyServer {
  return {
    backend, name, ...parseHaproxyStatus('UP'), statusText: 'UP', weight, backup: false,
    sessions: 0, sessionsMax: 0, sessionLimit: null, rate: 0, checkStatus: null, checkDurationMs: null, agentStatus: null, agentReply: null, lastChangeSeconds: 1, downtimeSeconds: 0,
  };
}

/** Planning time per strategy on `hosts` synthetic hosts, median of `rounds`. */
export function measurePlanning(hosts = 1000, rounds = 15): { strategy: string; ms: number; changes: number }[] {
  const random = seededRandom(1000);
  const ids = Array.from({ length: hosts }, (_, i) => `web${String(i + 1).padStart(4, '0')}`);
  // A fleet as LBs see one: most hosts 30-60 %, one in twenty overloaded at 85-95 %.
  const loads = { hosts: ids.map((id) => ({ id, load: random() < 0.05 ? 85 + random() * 10 : 30 + random() * 30, capacity: [0.5, 1, 2, 4][Math.floor(random() * 4)]! })), unknown: [] };
  const backends = Array.from({ length: 10 }, (_, b) => ({ name: `app${b}`, servers: ids.slice(b * 100, b * 100 + 100).map((id) => server(`app${b}`, id, 1)) }));
  const status = parseHaproxyStatus('UP');
  const haproxy: HaproxyFacts = ['lb1', 'lb2'].map((lb) => ({
    hostId: lb,
    via: 'socat unix socket',
    snapshot: {
      via: 'socat unix socket', version: '2.6.12', uptimeSeconds: 1, unknownStatuses: [], frontends: [],
      process: { pid: 1, node: lb, threads: 1, currentConnections: 0, maxConnections: 100, connectionsPerSec: 0, sessionsPerSec: 0, idlePercent: 100, runQueue: 0 },
      backends: backends.map((b) => ({ name: b.name, ...status, statusText: 'UP', sessions: 0, sessionsMax: 0, sessionLimit: null, rate: 0, requestRate: 0, servers: b.servers })),
    },
    config: { text: 'global\n' },
  }));
  const specs = [...['lb1', 'lb2'].map((id) => ({ id, roles: { haproxy: { socket: '/run/haproxy/admin.sock' } } })), ...ids.map((id) => ({ id, roles: {} }))];
  const inventory = { name: 'bench', format: 'baton' as const, hosts: specs.map((s) => ({ ...s, transport: 'ssh' as const, address: s.id, port: 22, user: 'ops', identityFiles: [], jump: [], tags: {}, vars: {}, groups: [], source: { file: 'bench' } })), groups: {} };
  const state = createBatonStore(inventory).getState();
  const facts: RebalanceFacts = { loads, haproxy };
  return STRATEGIES.map((strategy) => {
    const times: number[] = [];
    let changes = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const plan = planRebalance({ state, inventory, now: Date.now(), who: currentOperator(), newId: () => 'bench', facts }, { strategy, levers: ['haproxy'], timeoutMs: 15_000 });
      times.push(performance.now() - t0);
      changes = isRefusal(plan) ? 0 : plan.changes.length;
    }
    times.sort((a, b) => a - b);
    return { strategy, ms: times[Math.floor(times.length / 2)]!, changes };
  });
}

export interface LabRebalanceSample {
  /** R confirmed (executeAction called) to verified, with --settle 0: the weights re-read. */
  weightsMs: number;
  /** Plan (observe + plan) before it, for the record. */
  planMs: number;
}

/** Confirmed-to-verified on the lab for the HAProxy lever, `samples` times. */
export async function measureLabRebalance(sessionOptions: (inventory: string) => GlobalOptions, samples: number, log: (line: string) => void): Promise<LabRebalanceSample[]> {
  return withBenchLab(
    'rebalance',
    sessionOptions,
    async ({ dir, files, session }) => {
      const ask = async (request: Parameters<typeof askLab>[1]) => {
        const reply = await askLab(files.control, request);
        if (!reply.ok) throw new Error(`bench: lab: ${reply.error}`);
      };
      for (const [host, percent] of Object.entries({ web1: 20, web2: 90, web3: 20, db1: 30, mq1: 30, lb1: 30 })) await ask({ cmd: 'load', host, percent });
      await ask({ cmd: 'traffic', rate: 40 });
      const live: LiveContext = { get state() { return session.store.getState(); }, inventory: session.inventory, transports: session.transports, now: Date.now };
      // The console's store shows web2 overloaded once two samples passed through the lab's views.
      for (let i = 0; i < 100; i++) {
        const m = session.store.getState().hosts.web2?.metrics;
        if (m && (hostLoadPercent(m) ?? 0) > 80) break;
        await sleep(200);
      }
      const socket = join(dir, 'haproxy', 'admin.sock');
      const out: LabRebalanceSample[] = [];
      for (let i = 0; i < samples; i++) {
        const args = rebalanceAction.parseArgs([], { strategy: 'resource_based', lever: ['haproxy'], settle: '0' });
        const t0 = performance.now();
        const facts = await rebalanceAction.observe!(live, args);
        const now = Date.now();
        const plan = rebalanceAction.plan({ state: live.state, inventory: session.inventory, now, who: currentOperator(), newId: () => newActionId(now), facts }, args);
        if (isRefusal(plan)) throw new Error(`bench: rebalance refused: ${plan.reason}`);
        const t1 = performance.now();
        const result = await executeAction(plan, rebalanceAction, { live, locks: lockManagerFor(session), journalDir: journalDir(), who: currentOperator() });
        const t2 = performance.now();
        if (isRefusal(result) || result.state !== 'ok') throw new Error(`bench: rebalance did not verify: ${isRefusal(result) ? result.reason : result.verify.detail}`);
        out.push({ planMs: t1 - t0, weightsMs: t2 - t1 });
        log(`  sample ${i + 1}: plan ${(t1 - t0).toFixed(0)} ms, confirmed → verified ${(t2 - t1).toFixed(0)} ms`);
        await socat(socket, ['web1', 'web2', 'web3'].map((w) => `set server web/${w} weight 1`).join(';'));
      }
      await ask({ cmd: 'traffic', rate: 0 });
      return out;
    },
    false,
  );
}
