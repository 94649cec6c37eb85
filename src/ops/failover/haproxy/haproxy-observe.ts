// What the HAProxy planner needs from every LB of the inventory, read before
// planning: `show stat` (the probe's parser), `show servers state` (runtime
// and configured weights, admin state) and the config the running process
// was started with (does a runtime change survive a reload). Read-only.
import type { HostSpec } from '../../../inventory/types.js';
import { parseHaproxyProbe, type HaproxySnapshot } from '../../../probes/haproxy.js';
import type { LiveContext } from '../../engine/registry.js';
import { firstLine, runOnHost } from '../host-command.js';
import { adminQueryCommand, adminSocketProblem, splitVia } from './haproxy-admin-socket.js';
import { configReadCommand } from './haproxy-reload-state.js';
import { parseServersState, type ServerRuntimeState } from './haproxy-servers-state.js';

const READ_TIMEOUT_MS = 10_000;

export interface LbFacts {
  hostId: string;
  /** How the runtime API was reached (socat unix socket, ...). */
  via?: string;
  snapshot?: HaproxySnapshot;
  /** Absent when `show servers state` could not be read (runtimeError says why). */
  runtime?: ServerRuntimeState[];
  runtimeError?: string;
  /** The config files' text, or why they could not be read. */
  config?: { text: string } | { error: string };
  /** Why this LB could not be read at all. */
  error?: string;
}

/** By LB host id, in inventory order. */
export type HaproxyFacts = LbFacts[];

export const lbHosts = (hosts: readonly HostSpec[]): HostSpec[] => hosts.filter((h) => h.roles.haproxy);

async function readLb(ctx: LiveContext, host: HostSpec): Promise<LbFacts> {
  const role = host.roles.haproxy!;
  const problem = adminSocketProblem(role);
  if (problem) return { hostId: host.id, error: problem };
  const stat = await runOnHost(ctx, host.id, adminQueryCommand(role, 'show info;show stat'), READ_TIMEOUT_MS);
  if (!stat.ok) return { hostId: host.id, error: stat.error };
  const parsed = parseHaproxyProbe(stat.result.stdout);
  if (parsed.kind !== 'snapshot') return { hostId: host.id, error: `${parsed.message}${stat.result.stderr.trim() ? ` (${firstLine(stat.result.stderr, '')})` : ''}` };
  const facts: LbFacts = { hostId: host.id, via: parsed.snapshot.via, snapshot: parsed.snapshot };
  const state = await runOnHost(ctx, host.id, adminQueryCommand(role, 'show servers state'), READ_TIMEOUT_MS);
  const runtime = state.ok ? parseServersState(splitVia(state.result.stdout).body) : { error: state.error };
  if ('servers' in runtime) facts.runtime = runtime.servers;
  else facts.runtimeError = runtime.error;
  const pid = parsed.snapshot.process.pid;
  if (pid === null) facts.config = { error: "'show info' gave no Pid" };
  else {
    const config = await runOnHost(ctx, host.id, configReadCommand(pid), READ_TIMEOUT_MS);
    if (!config.ok) facts.config = { error: config.error };
    else if (config.result.code !== 0 || config.result.stdout.trim() === '') facts.config = { error: firstLine(config.result.stderr, `no -f config file found in pid ${pid}'s command line`) };
    else facts.config = { text: config.result.stdout };
  }
  return facts;
}

export function observeHaproxy(ctx: LiveContext): Promise<HaproxyFacts> {
  return Promise.all(lbHosts(ctx.inventory.hosts).map((h) => readLb(ctx, h)));
}
