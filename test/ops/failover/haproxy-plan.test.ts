// The HAProxy planner and its pure helpers: weights stay within HAProxy's
// 0..256, the last UP non-backup server never leaves rotation without a risk
// reason, names HAProxy could not parse never reach a command, the reload
// check reads global/defaults/backend like HAProxy does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/ops/engine/plan.js';
import type { PlanContext, Refusal } from '../../../src/ops/engine/registry.js';
import { isHaproxyName, parseServerRef } from '../../../src/ops/failover/haproxy/haproxy-names.js';
import type { HaproxyFacts } from '../../../src/ops/failover/haproxy/haproxy-observe.js';
import { inRotation, planHaproxy, type HaproxyArgs } from '../../../src/ops/failover/haproxy/haproxy-plan.js';
import { reloadVerdict } from '../../../src/ops/failover/haproxy/haproxy-reload-state.js';
import { parseServersState } from '../../../src/ops/failover/haproxy/haproxy-servers-state.js';
import { MAX_WEIGHT, parseWeightChange, resolveWeight } from '../../../src/ops/failover/haproxy/haproxy-weight.js';
import { parseHaproxyStatus } from '../../../src/probes/haproxy-status.js';
import type { HaproxyServer, HaproxySnapshot } from '../../../src/probes/haproxy.js';
import { createBatonStore } from '../../../src/store/store.js';
import { localHost } from './failover-harness.js';

interface ServerShape {
  status: string;
  backup: boolean;
  weight: number;
}

function server(name: string, s: ServerShape): HaproxyServer {
  return {
    backend: 'app', name, ...parseHaproxyStatus(s.status), statusText: s.status, weight: s.weight, backup: s.backup,
    sessions: 0, sessionsMax: 0, sessionLimit: null, rate: 0, checkStatus: null, checkDurationMs: null, agentStatus: null, agentReply: null, lastChangeSeconds: 1, downtimeSeconds: 0,
  };
}

function facts(shapes: ServerShape[]): HaproxyFacts {
  const servers = shapes.map((s, i) => server(`web${i + 1}`, s));
  const status = parseHaproxyStatus('UP');
  const snapshot: HaproxySnapshot = {
    via: 'socat unix socket', version: '2.6.12', uptimeSeconds: 1, unknownStatuses: [], frontends: [],
    process: { pid: 1, node: 'lb1', threads: 1, currentConnections: 0, maxConnections: 100, connectionsPerSec: 0, sessionsPerSec: 0, idlePercent: 100, runQueue: 0 },
    backends: [{ name: 'app', ...status, statusText: 'UP', sessions: 0, sessionsMax: 0, sessionLimit: null, rate: 0, requestRate: 0, servers }],
  };
  const runtime = servers.map((s, i) => ({ backend: 'app', server: s.name, userWeight: shapes[i]!.weight, configuredWeight: 100, adminState: 0 }));
  return [{ hostId: 'lb1', via: snapshot.via, snapshot, runtime, config: { text: 'global\n  server-state-file /var/lib/haproxy/state\ndefaults\n  load-server-state-from-file global\nbackend app\n' } }];
}

const inventory = { name: 't', format: 'baton' as const, file: 't.yaml', hosts: [localHost('lb1', { haproxy: { socket: '/run/haproxy/admin.sock' } })], groups: {} };
const ctx = (f: HaproxyFacts): PlanContext<HaproxyFacts> => ({ state: createBatonStore(inventory).getState(), inventory, now: 0, who: { user: 'u', host: 'h', pid: 1 }, newId: () => 'id', facts: f });
const args = (op: HaproxyArgs['op'], ref: string, weight?: string): HaproxyArgs => ({ op, ref, timeoutMs: 1000, ...(weight ? { weight: parseWeightChange(weight) as HaproxyArgs['weight'] } : {}) });

const shape = fc.record({ status: fc.constantFrom('UP', 'no check', 'DRAIN', 'MAINT', 'DOWN', 'UP 1/2', 'NOLB', 'DOWN (agent)'), backup: fc.boolean(), weight: fc.integer({ min: 0, max: MAX_WEIGHT }) });
const change = fc.oneof(
  fc.integer({ min: 0, max: MAX_WEIGHT }).map(String),
  fc.integer({ min: 0, max: 99_999 }).map((n) => `${n}%`),
  fc.integer({ min: 0, max: 99_999 }).map((n) => `+${n}`),
  fc.integer({ min: 0, max: 99_999 }).map((n) => `-${n}`),
  fc.constant('configured'),
);

describe('weights', () => {
  it('every accepted change lands within 0..256, whatever the current and configured weights', () => {
    fc.assert(
      fc.property(change, fc.integer({ min: 0, max: MAX_WEIGHT }), fc.integer({ min: 0, max: MAX_WEIGHT }), (text, current, configured) => {
        const c = parseWeightChange(text);
        if (typeof c === 'string') return;
        const w = resolveWeight(c, current, configured);
        expect(Number.isInteger(w) && w >= 0 && w <= MAX_WEIGHT).toBe(true);
      }),
    );
  });

  it('computes a percentage as HAProxy does (of the configured weight), steps from the runtime one', () => {
    expect(resolveWeight(parseWeightChange('50%') as never, 10, 100)).toBe(50);
    expect(resolveWeight(parseWeightChange('33%') as never, 10, 50)).toBe(16);
    expect(resolveWeight(parseWeightChange('+10') as never, 250, 100)).toBe(256);
    expect(resolveWeight(parseWeightChange('-10') as never, 5, 100)).toBe(0);
    expect(resolveWeight(parseWeightChange('configured') as never, 5, 77)).toBe(77);
    expect(parseWeightChange('257')).toMatch(/above HAProxy's maximum/);
    expect(parseWeightChange('+5%')).toMatch(/takes no sign/);
    expect(parseWeightChange('half')).toMatch(/none of N/);
  });
});

describe('the last UP non-backup server', () => {
  it('is never taken out of rotation by a plan without a risk reason', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 5 }), fc.nat(), fc.constantFrom('drain', 'maint', 'weight 0', 'weight 0%', 'ready', 'weight 5'), (shapes, pick, action) => {
        const f = facts(shapes);
        const servers = f[0]!.snapshot!.backends[0]!.servers;
        const target = servers[pick % servers.length]!;
        const [op, weight] = action.split(' ') as [HaproxyArgs['op'], string | undefined];
        const plan = planHaproxy(ctx(f), args(op, `app/${target.name}`, weight)) as Plan;
        const takesOut = op === 'drain' || op === 'maint' || (op === 'weight' && weight!.startsWith('0'));
        const last = inRotation(target) && servers.filter(inRotation).length === 1;
        const named = plan.risk.reasons.some((r) => r.includes('is the last UP non-backup server'));
        expect(named).toBe(takesOut && last);
      }),
    );
  });
});

describe('names', () => {
  it('anything that is not a HAProxy name is refused; a command only ever holds HAProxy names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (b, s) => {
        const result = planHaproxy(ctx(facts([{ status: 'UP', backup: false, weight: 1 }])), args('drain', `${b}/${s}`));
        if (!isHaproxyName(b) || !isHaproxyName(s)) expect((result as Refusal).refused).toBe(true);
        else for (const step of (result as Plan).steps ?? []) expect(step.label).toMatch(/^set server [A-Za-z0-9._:-]+\/[A-Za-z0-9._:-]+ state drain$/);
      }),
    );
    expect(parseServerRef('app/x;touch /tmp/pwned')).toMatch(/server name "x;touch \/tmp\/pwned" cannot be a HAProxy name/);
    expect(parseServerRef('app/\x1b[2J')).toMatch(/"\^\[\[2J"/);
  });
});

describe('reload survival', () => {
  it('needs load-server-state-from-file in the backend or its defaults, and the file it names', () => {
    const withGlobal = 'global\n  server-state-file /var/lib/haproxy/state\n';
    expect(reloadVerdict(`${withGlobal}defaults\n  load-server-state-from-file global\nbackend app\n`, 'app')).toMatchObject({ survives: true });
    expect(reloadVerdict(`${withGlobal}defaults\n  mode tcp\nbackend app\n`, 'app')).toMatchObject({ survives: false });
    expect(reloadVerdict('global\ndefaults\n  load-server-state-from-file global\nbackend app\n', 'app').detail).toMatch(/no server-state-file/);
    // The defaults section that comes before the backend is the one it takes.
    expect(reloadVerdict(`${withGlobal}defaults\n  load-server-state-from-file global\nbackend a\ndefaults\n  mode tcp\nbackend app\n`, 'app')).toMatchObject({ survives: false });
    expect(reloadVerdict(`${withGlobal}defaults\nbackend app\n  load-server-state-from-file local\n  server-state-file-name app.state\n`, 'app')).toMatchObject({ survives: true });
    expect(reloadVerdict(`${withGlobal}# load-server-state-from-file global\nbackend app\n`, 'app')).toMatchObject({ survives: false });
  });

  it('show servers state: parsed by its header, never throws', () => {
    const real = '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change\n2 app 2 web2 127.0.37.3 2 8 50 50 0\n';
    expect(parseServersState(real)).toEqual({ servers: [{ backend: 'app', server: 'web2', userWeight: 50, configuredWeight: 50, adminState: 8 }] });
    expect(parseServersState('Unknown command.\n')).toMatchObject({ error: expect.stringMatching(/no 'show servers state' header/) });
    fc.assert(fc.property(fc.string(), (text) => void parseServersState(real.slice(0, 60) + text)));
  });
});
