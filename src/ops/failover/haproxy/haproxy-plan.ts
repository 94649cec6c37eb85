// The pure planner of the four HAProxy actions: the same change to the same
// server on every LB of the inventory that has it (an active/passive pair
// in one plan), each LB's server locked, the last UP non-backup server of a
// backend never taken out of rotation without a risk reason (typed
// confirmation), a warning when the change would not survive a reload.
import type { HaproxyServer } from '../../../probes/haproxy.js';
import { takesTraffic } from '../../../probes/haproxy-status.js';
import type { Change, Plan, Precondition, Step } from '../../engine/plan.js';
import type { PlanContext, Refusal } from '../../engine/registry.js';
import { adminApplyCommand } from './haproxy-admin-socket.js';
import { parseServerRef, refText, type ServerRef } from './haproxy-names.js';
import type { HaproxyFacts, LbFacts } from './haproxy-observe.js';
import { reloadVerdict } from './haproxy-reload-state.js';
import { ADMIN_FORCED_DRAIN, ADMIN_FORCED_MAINT } from './haproxy-servers-state.js';
import { describeWeightChange, resolveWeight, type WeightChange } from './haproxy-weight.js';

export type HaproxyOp = 'drain' | 'maint' | 'ready' | 'weight';
export type AdminState = 'ready' | 'drain' | 'maint';

export interface HaproxyArgs {
  op: HaproxyOp;
  /** BACKEND/SERVER as given; checked by the planner (a bad name is a refusal). */
  ref: string;
  weight?: WeightChange;
  /** drain: how long verify waits for the server's sessions to reach 0. */
  waitSessionsMs?: number;
  timeoutMs: number;
}

/** What verify expects on each LB. */
export type Expected = { state: AdminState } | { weight: number };

const LISTED_MAX = 40;

/** Takes new load-balanced traffic: UP (or unchecked), not a backup, weight above 0. */
export const inRotation = (s: HaproxyServer): boolean => takesTraffic(s) && !s.backup && (s.weight ?? 1) > 0;

function notFound(ref: ServerRef, readable: LbFacts[]): Refusal {
  const lbs = readable.map((l) => l.hostId).join(', ');
  const backends = readable.flatMap((l) => l.snapshot!.backends);
  const inBackend = [...new Set(backends.filter((b) => b.name === ref.backend).flatMap((b) => b.servers.map((s) => `${b.name}/${s.name}`)))];
  const all = inBackend.length > 0 ? inBackend : [...new Set(backends.flatMap((b) => b.servers.map((s) => `${b.name}/${s.name}`)))];
  const listed = all.length > LISTED_MAX ? `${all.slice(0, LISTED_MAX).join(', ')} … (${all.length} in all)` : all.join(', ') || 'none';
  const what = inBackend.length > 0 ? `backend ${ref.backend} has no server ${ref.server}` : `no backend ${ref.backend}`;
  return { refused: true, reason: `${what} on ${lbs}; servers there: ${listed}` };
}

function beforeState(lb: LbFacts, server: HaproxyServer): AdminState {
  const rt = lb.runtime?.find((r) => r.backend === server.backend && r.server === server.name);
  if (rt) return rt.adminState & ADMIN_FORCED_MAINT ? 'maint' : rt.adminState & ADMIN_FORCED_DRAIN ? 'drain' : 'ready';
  return server.state === 'maint' && server.stateSource === null ? 'maint' : server.state === 'drain' && server.stateSource === null ? 'drain' : 'ready';
}

/** The weight change's result on this LB, or why it cannot be computed. */
function targetWeight(lb: LbFacts, server: HaproxyServer, change: WeightChange): number | string {
  const rt = lb.runtime?.find((r) => r.backend === server.backend && r.server === server.name);
  if (change.kind === 'absolute') return resolveWeight(change, 0, 0);
  if (!rt) return `${lb.hostId}: ${describeWeightChange(change)} needs the configured weight from 'show servers state': ${lb.runtimeError ?? 'not listed'}`;
  return resolveWeight(change, rt.userWeight, rt.configuredWeight);
}

function lastServerRisk(lb: LbFacts, server: HaproxyServer, out: boolean): string | undefined {
  if (!out || !inRotation(server)) return undefined;
  const backend = lb.snapshot!.backends.find((b) => b.name === server.backend)!;
  if (backend.servers.some((s) => s !== server && inRotation(s))) return undefined;
  const backups = backend.servers.filter((s) => s.backup && takesTraffic(s)).length;
  return `${lb.hostId}: ${server.backend}/${server.name} is the last UP non-backup server of backend ${server.backend}: taking it out leaves ${backups ? `only its ${backups} backup server(s)` : 'no server to take traffic'}`;
}

const stateWord = (s: AdminState) => s.toUpperCase();

const VERIFY_READS: Record<HaproxyOp, string> = {
  drain: 'the server is DRAIN',
  maint: 'the server is MAINT',
  ready: 'the server is neither DRAIN nor MAINT (UP, or DOWN by its own health check)',
  weight: 'the server has the new weight',
};

export function planHaproxy(ctx: PlanContext<HaproxyFacts>, args: HaproxyArgs): Plan | Refusal {
  const ref = parseServerRef(args.ref);
  if (typeof ref === 'string') return { refused: true, reason: ref };
  const name = refText(ref);
  if (ctx.facts.length === 0) return { refused: true, reason: 'no host of the inventory has the haproxy role', hint: 'add roles.haproxy.socket to the LB hosts' };
  const readable = ctx.facts.filter((l) => l.snapshot);
  const unreadable = ctx.facts.filter((l) => !l.snapshot);
  if (readable.length === 0) return { refused: true, reason: `no LB's runtime API could be read: ${unreadable.map((l) => `${l.hostId}: ${l.error}`).join('; ')}` };
  const having = readable.flatMap((lb) => {
    const server = lb.snapshot!.backends.find((b) => b.name === ref.backend)?.servers.find((s) => s.name === ref.server);
    return server ? [{ lb, server }] : [];
  });
  if (having.length === 0) return notFound(ref, readable);

  const steps: Step[] = [];
  const undo: Step[] = [];
  const changes: Change[] = [];
  const preconditions: Precondition[] = [];
  const reasons: string[] = unreadable.map((l) => `${l.hostId} could not be read (${l.error}): the change does not reach it`);
  const expected: Record<string, Expected> = {};
  for (const { lb, server } of having) {
    const role = ctx.inventory.hosts.find((h) => h.id === lb.hostId)!.roles.haproxy!;
    const before = beforeState(lb, server);
    let command: string;
    let undoCommand: string;
    let out: boolean;
    if (args.op === 'weight') {
      const w = targetWeight(lb, server, args.weight!);
      if (typeof w === 'string') return { refused: true, reason: w };
      const rt = lb.runtime?.find((r) => r.backend === ref.backend && r.server === ref.server);
      const current = rt?.userWeight ?? server.weight;
      command = `set server ${name} weight ${w}`;
      undoCommand = `set server ${name} weight ${current ?? w}`;
      expected[lb.hostId] = { weight: w };
      changes.push({ target: `${lb.hostId} ${name}`, what: 'weight', before: `${current ?? '?'}${rt ? ` (configured ${rt.configuredWeight})` : ''}`, after: String(w) });
      out = w === 0;
    } else {
      command = `set server ${name} state ${args.op}`;
      undoCommand = `set server ${name} state ${before}`;
      expected[lb.hostId] = { state: args.op };
      changes.push({ target: `${lb.hostId} ${name}`, what: 'state', before: server.statusText, after: stateWord(args.op) });
      out = args.op !== 'ready';
    }
    const risk = lastServerRisk(lb, server, out);
    if (risk) reasons.push(risk);
    if (args.op !== 'ready') {
      const config = lb.config;
      const verdict = config && 'text' in config ? reloadVerdict(config.text, ref.backend) : { survives: false, detail: `the config could not be read (${config?.error ?? 'not read'})` };
      preconditions.push({ what: `${lb.hostId}: the change survives a HAProxy reload`, ok: verdict.survives, detail: verdict.detail });
    }
    preconditions.push({ what: `${lb.hostId}: runtime API reached`, ok: true, detail: `via ${lb.via}` });
    steps.push({ id: `haproxy:${lb.hostId}`, hostId: lb.hostId, label: command, spec: { kind: 'command', command: adminApplyCommand(role, command) }, timeoutMs: args.timeoutMs, retries: 1 });
    undo.push({ id: `undo:haproxy:${lb.hostId}`, hostId: lb.hostId, label: undoCommand, spec: { kind: 'command', command: adminApplyCommand(role, undoCommand) }, timeoutMs: args.timeoutMs, retries: 1 });
  }
  const lbs = having.map((h) => h.lb.hostId);
  const what = args.op === 'weight' ? `weight ${describeWeightChange(args.weight!)}` : args.op;
  const waits = args.op === 'drain' && args.waitSessionsMs ? `, then waits up to ${args.waitSessionsMs / 1000} s for its sessions to reach 0` : '';
  return {
    id: ctx.newId(),
    action: `haproxy.${args.op}`,
    title: `haproxy ${what} ${name} on ${lbs.join(', ')}`,
    args: { ...args, backend: ref.backend, server: ref.server, expected },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: lbs,
    locks: lbs.map((lb) => `haproxy:${lb}:${name}`),
    changes,
    preconditions,
    risk: { clusters: [], reasons },
    steps,
    undo,
    concurrency: lbs.length,
    failurePolicy: 'continue',
    completion: 'all',
    verify: `re-read 'show stat' on ${lbs.join(', ')}: ${VERIFY_READS[args.op]}${waits}`,
  };
}
