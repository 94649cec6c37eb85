// Failover figures for `baton bench`: keystroke-to-verified time of a
// Pacemaker move, an HAProxy drain and an etcd leader move on the real lab,
// through the engine as the confirm key runs it (observe, plan, lock,
// steps, verify, journal), with the console's monitor polling meanwhile.
// Each baton sample is split into the cluster's own time (from the change
// being sent until a tight watcher of the tool's own output first shows the
// new state) and baton's overhead (the rest). The same operation done by
// hand (the tool over a warm OpenSSH ControlMaster, or socat on the admin
// socket, then its status command polled) is timed alongside.
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { executeAction } from '../../ops/engine/execute.js';
import { journalDir } from '../../ops/engine/history.js';
import { currentOperator } from '../../ops/engine/operator.js';
import { newActionId } from '../../ops/engine/plan.js';
import { isRefusal, type AnyAction, type LiveContext } from '../../ops/engine/registry.js';
import { builtinActions } from '../../ops/builtin-actions.js';
import { nodesOf } from '../../ops/failover/pacemaker/resolve-change.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe } from '../../probes/pacemaker.js';
import { lockManagerFor } from '../action-session.js';
import type { GlobalOptions } from '../options.js';
import type { Session } from '../session.js';
import { socat, sshTo, withBenchLab } from './bench-lab.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How often the watchers (baton's split, and the hand-run operator's loop) ask the tool. */
const WATCH_MS = 100;
const WATCH_DEADLINE_MS = 60_000;
const RESOURCE = 'web-group';
const SERVER = 'web/web2';
const registry = builtinActions();
const action = (name: string): AnyAction => registry.get(name)!;

export interface FailoverSample {
  totalMs: number;
  clusterMs: number;
  overheadMs: number;
  /** Where baton's time went: observe + plan, each step, verify and after. */
  phases: string;
}

export interface FailoverFigure {
  operation: string;
  baton: FailoverSample[];
  /** The same operation by hand, each sample. */
  handMs: number[];
  intervalMs: number;
}

/** Polls `check` every WATCH_MS until it says true; resolves with when it first did. */
async function firstSeen(check: () => Promise<boolean>): Promise<number> {
  const deadline = performance.now() + WATCH_DEADLINE_MS;
  for (;;) {
    if (await check().catch(() => false)) return performance.now();
    if (performance.now() > deadline) throw new Error('bench invalid: the change was not seen within 60 s');
    await sleep(WATCH_MS);
  }
}

interface Operation {
  name: string;
  /** The action and its argv for this sample, and how to tell the change happened. */
  next(): Promise<{ def: AnyAction; argv: string[]; done: () => Promise<boolean>; hand: () => Promise<void>; undo?: () => Promise<void> }>;
}

/** Runs one action as the confirm key does; resolves when verified, with its split. */
async function batonSample(live: LiveContext, session: Session, def: AnyAction, argv: string[], done: () => Promise<boolean>): Promise<FailoverSample> {
  const t0 = performance.now();
  const args = def.parseArgs(argv, {});
  const facts: unknown = def.observe ? await def.observe(live, args) : undefined;
  const now = Date.now();
  const who = currentOperator();
  const plan = def.plan({ state: session.store.getState(), inventory: session.inventory, now, who, newId: () => newActionId(now), facts }, args);
  const planned = performance.now();
  if (isRefusal(plan)) throw new Error(`bench invalid: ${def.name} ${argv.join(' ')} refused: ${plan.reason}`);
  let sent: Promise<number> | undefined;
  let sentAt = 0;
  let lastStepAt = 0;
  const result = await executeAction(
    plan,
    def,
    { live: { ...live, state: session.store.getState() }, locks: lockManagerFor(session), journalDir: journalDir(), who },
    {
      hooks: {
        onStepStart: () => {
          if (sent) return;
          sentAt = performance.now();
          sent = firstSeen(done);
        },
        onStep: () => (lastStepAt = performance.now()),
      },
    },
  );
  const end = performance.now();
  if (isRefusal(result) || result.state !== 'ok') throw new Error(`bench invalid: ${plan.title}: ${isRefusal(result) ? result.reason : result.verify.detail}`);
  const seenAt = await sent!;
  const totalMs = end - t0;
  const clusterMs = seenAt - sentAt;
  const ms = (v: number) => v.toFixed(0);
  const steps = result.run.results.map((r) => `${r.label.split(' ')[0]} ${ms(r.durationMs)}`).join(', ');
  const phases = `observe+plan ${ms(planned - t0)}, steps [${steps}], verify+after ${ms(end - lastStepAt)}`;
  return { totalMs, clusterMs, overheadMs: totalMs - clusterMs, phases };
}

function pacemakerOperation(session: Session, knownHosts: string, controlDir: string): Operation {
  const hosts = session.inventory.hosts.filter((h) => h.roles.pacemaker);
  const ssh = sshTo(hosts[0]!, knownHosts, controlDir);
  const snapshot = async () => {
    const r = parsePacemakerProbe(await ssh(PACEMAKER_PROBE_COMMAND));
    if (r.kind !== 'snapshot') throw new Error(`bench invalid: crm_mon: ${r.message}`);
    return r.snapshot;
  };
  const runsOnOnly = async (node: string) => {
    const where = nodesOf(await snapshot(), RESOURCE);
    return where.length > 0 && where.every((n) => n === node);
  };
  return {
    name: `Pacemaker move ${RESOURCE} (default: place, wait, check, remove cli-prefer)`,
    async next() {
      const s = await snapshot();
      const from = nodesOf(s, RESOURCE)[0];
      const to = s.nodes.map((n) => n.name).find((n) => n !== from)!;
      return {
        def: action('pacemaker.move'),
        argv: [RESOURCE, to],
        done: () => runsOnOnly(to),
        hand: async () => {
          const back = from ?? to;
          await ssh(quote(['crm_resource', '--move', '-r', RESOURCE, '-N', back]));
          await firstSeen(() => runsOnOnly(back));
          await ssh(quote(['crm_resource', '--clear', '-r', RESOURCE]));
        },
      };
    },
  };
}

function haproxyOperation(live: LiveContext, session: Session, socket: string): Operation {
  const [backend, server] = SERVER.split('/') as [string, string];
  const status = async () => {
    const csv = await socat(socket, 'show stat');
    const row = csv.split('\n').find((l) => l.startsWith(`${backend},${server},`));
    return row?.split(',')[17] ?? '';
  };
  return {
    name: `HAProxy drain ${SERVER} (show stat says DRAIN on every LB)`,
    async next() {
      return {
        def: action('haproxy.drain'),
        argv: [SERVER],
        done: async () => (await status()) === 'DRAIN',
        hand: async () => {
          await socat(socket, `set server ${SERVER} state drain`);
          await firstSeen(async () => (await status()) === 'DRAIN');
          await socat(socket, `set server ${SERVER} state ready`);
        },
        undo: async () => {
          await batonSample(live, session, action('haproxy.ready'), [SERVER], async () => (await status()).startsWith('UP'));
        },
      };
    },
  };
}

interface EndpointStatus {
  Endpoint: string;
  Status: { header: { member_id: number | string }; leader: number | string };
}

function etcdOperation(session: Session, knownHosts: string, controlDir: string): Operation {
  const hosts = session.inventory.hosts.filter((h) => h.roles.etcd);
  const ssh = sshTo(hosts[0]!, knownHosts, controlDir);
  const endpoints = hosts.map((h) => h.roles.etcd!.endpoint).join(',');
  const ctl = (args: string[]) => ssh(quote(['env', 'ETCDCTL_API=3', 'etcdctl', '--endpoints', endpoints, ...args]));
  // member ids exceed 2^53: read them as text.
  const statuses = async (): Promise<EndpointStatus[]> => JSON.parse((await ctl(['endpoint', 'status', '-w', 'json'])).replace(/("(?:member_id|leader)":)(\d+)/g, '$1"$2"')) as EndpointStatus[];
  const leaderOf = async () => String((await statuses())[0]!.Status.leader);
  return {
    name: 'etcd move-leader (endpoint status names the new leader)',
    async next() {
      const all = await statuses();
      const leader = String(all[0]!.Status.leader);
      const follower = all.find((s) => String(s.Status.header.member_id) !== leader)!;
      const target = BigInt(String(follower.Status.header.member_id)).toString(16);
      const back = BigInt(leader).toString(16);
      return {
        def: action('etcd.move-leader'),
        argv: [target],
        done: async () => (await leaderOf()) === String(follower.Status.header.member_id),
        hand: async () => {
          const now = (await statuses()).find((s) => String(s.Status.header.member_id) === String(follower.Status.header.member_id))!.Endpoint;
          await ssh(quote(['env', 'ETCDCTL_API=3', 'etcdctl', '--endpoints', now, 'move-leader', back]));
          await firstSeen(async () => (await leaderOf()) === leader);
        },
      };
    },
  };
}

export async function measureFailover(sessionOptions: (inventory: string) => GlobalOptions, samples: number, log: (line: string) => void): Promise<FailoverFigure[]> {
  return withBenchLab(
    'failover',
    sessionOptions,
    async ({ dir, options, session }) => {
      await sleep(4000);
      const live: LiveContext = { state: session.store.getState(), inventory: session.inventory, transports: session.transports, now: Date.now };
      const knownHosts = options.knownHosts ?? join(dir, 'known_hosts');
      const operations = [pacemakerOperation(session, knownHosts, dir), haproxyOperation(live, session, join(dir, 'haproxy', 'admin.sock')), etcdOperation(session, knownHosts, dir)];
      const figures: FailoverFigure[] = [];
      for (const op of operations) {
        log(`failover: ${op.name}, ${samples} samples by baton and by hand...`);
        const figure: FailoverFigure = { operation: op.name, baton: [], handMs: [], intervalMs: options.interval * 1000 };
        for (let i = 0; i < samples; i++) {
          const sample = await op.next();
          figure.baton.push(await batonSample(live, session, sample.def, sample.argv, sample.done));
          await sample.undo?.();
          const t0 = performance.now();
          await sample.hand();
          figure.handMs.push(performance.now() - t0);
          await sleep(1000);
        }
        figures.push(figure);
      }
      return figures;
    },
    false,
  );
}
