// Verify re-reads `show stat` on every LB with the probe's own command and
// parser, and compares the server with what the plan expected there. A drain
// given --wait-sessions keeps reading until the server's current sessions
// reach 0 (or the deadline), and says how the count fell.
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxyServer } from '../../../probes/haproxy.js';
import type { Outcome, Plan } from '../../engine/plan.js';
import type { LiveContext, VerifyResult } from '../../engine/registry.js';
import { runOnHost, sleep } from '../host-command.js';
import type { Expected } from './haproxy-plan.js';

const READ_TIMEOUT_MS = 10_000;
/** A runtime change shows at once; this only rides out a slow first read. */
const SETTLE_MS = 3_000;
const POLL_MS = 250;

interface VerifyArgs {
  backend: string;
  server: string;
  expected: Record<string, Expected>;
  waitSessionsMs?: number;
}

type Read = { server: HaproxyServer } | { error: string };

async function readServer(ctx: LiveContext, hostId: string, backend: string, name: string): Promise<Read> {
  const role = ctx.inventory.hosts.find((h) => h.id === hostId)?.roles.haproxy;
  if (!role) return { error: `${hostId} has no haproxy role` };
  const r = await runOnHost(ctx, hostId, haproxyProbeCommand(role), READ_TIMEOUT_MS);
  if (!r.ok) return { error: r.error };
  const parsed = parseHaproxyProbe(r.result.stdout);
  if (parsed.kind !== 'snapshot') return { error: parsed.message };
  const server = parsed.snapshot.backends.find((b) => b.name === backend)?.servers.find((s) => s.name === name);
  return server ? { server } : { error: `${backend}/${name} is no longer listed` };
}

/** ok / failed and a phrase for one read against what was expected. */
export function judge(server: HaproxyServer, expected: Expected): { ok: boolean; said: string } {
  if ('weight' in expected) return { ok: server.weight === expected.weight, said: `weight ${server.weight ?? '?'} (${server.statusText})` };
  const state = server.stateSource === null ? server.state : 'other';
  if (expected.state === 'ready') {
    const ok = state !== 'drain' && state !== 'maint';
    return { ok, said: server.state === 'down' ? `${server.statusText} (ready; its health check says DOWN)` : server.statusText };
  }
  return { ok: state === expected.state, said: server.statusText };
}

async function verifyLb(ctx: LiveContext, hostId: string, args: VerifyArgs): Promise<{ outcome: Outcome; note: string }> {
  const expected = args.expected[hostId];
  if (!expected) return { outcome: 'unknown', note: `${hostId}: nothing expected` };
  const settleBy = Date.now() + SETTLE_MS;
  let last: Read;
  let verdict: { ok: boolean; said: string } | undefined;
  for (;;) {
    last = await readServer(ctx, hostId, args.backend, args.server);
    verdict = 'server' in last ? judge(last.server, expected) : undefined;
    if (verdict?.ok || Date.now() >= settleBy) break;
    await sleep(POLL_MS);
  }
  if (!('server' in last)) return { outcome: 'unknown', note: `${hostId}: ${last.error}` };
  if (!verdict?.ok) return { outcome: 'failed', note: `${hostId}: ${verdict?.said}` };
  const waitMs = 'state' in expected && expected.state === 'drain' ? args.waitSessionsMs : undefined;
  if (!waitMs) return { outcome: 'ok', note: `${hostId}: ${verdict.said}, ${last.server.sessions ?? '?'} sessions` };
  return waitSessions(ctx, hostId, args, last.server, waitMs);
}

async function waitSessions(ctx: LiveContext, hostId: string, args: VerifyArgs, first: HaproxyServer, waitMs: number): Promise<{ outcome: Outcome; note: string }> {
  const started = Date.now();
  const counts = [first.sessions];
  let server = first;
  while (server.sessions !== 0 && Date.now() - started < waitMs) {
    await sleep(Math.min(1000, waitMs / 10));
    const r = await readServer(ctx, hostId, args.backend, args.server);
    if (!('server' in r)) return { outcome: 'unknown', note: `${hostId}: ${server.statusText}; sessions ${counts.join(' → ')}, then ${r.error}` };
    server = r.server;
    if (server.sessions !== counts.at(-1)) counts.push(server.sessions);
  }
  const took = ((Date.now() - started) / 1000).toFixed(1);
  const trail = `sessions ${counts.map((c) => c ?? '?').join(' → ')}`;
  if (server.sessions === 0) return { outcome: 'ok', note: `${hostId}: ${server.statusText}, ${trail} in ${took} s` };
  return { outcome: 'failed', note: `${hostId}: ${server.statusText}, but ${trail}: ${server.sessions ?? '?'} left after ${took} s` };
}

export async function verifyHaproxy(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as VerifyArgs;
  const results = await Promise.all(plan.targets.map(async (h) => [h, await verifyLb(ctx, h, args)] as const));
  const hosts = Object.fromEntries(results.map(([h, r]) => [h, r.outcome]));
  const outcomes = Object.values(hosts);
  const outcome: Outcome = outcomes.includes('failed') ? 'failed' : outcomes.includes('unknown') ? 'unknown' : 'ok';
  return { outcome, detail: `show stat: ${results.map(([, r]) => r.note).join('; ')}`, hosts };
}
