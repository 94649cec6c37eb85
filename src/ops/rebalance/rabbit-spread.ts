// The RabbitMQ half of the queue lever: queue leaders (quorum and stream
// queues) spread over the running nodes with `rabbitmq-queues rebalance all`.
// Read with rabbitmqctl on the broker host (cluster_status and list_queues
// ... leader, both --formatter json, framed like the Redis read); a broker
// with one running node has nothing to spread. The plan predicts an even
// count per node (what rebalance aims at); verify reads the leaders again.
// Stream leaders are counted apart: rebalance moves quorum (and mirrored
// classic) queue leaders only, so on a real cluster streams stay put.
import { posix } from 'node:path';
import { quote } from 'shell-quote';
import type { RabbitmqRole } from '../../inventory/types.js';
import { rabbitConfigOf } from '../../probes/queues/queue-service.js';
import { MARK, splitSections } from '../../probes/queues/redis-sections.js';

/** rabbitmqctl's own RPC timeout (s), under the step's. */
const CTL_TIMEOUT_S = 8;

export const SINGLE_NODE = 'single-node broker: nothing to spread';

export interface LeaderRead {
  runningNodes: string[];
  /** Queues whose leader rebalance moves (quorum, mirrored classic), per leader node. */
  leaders: Record<string, number>;
  /** Stream leaders per node: rebalance leaves them where they are. */
  streams: Record<string, number>;
}

export interface LeaderChange {
  broker: string;
  node: string;
  before: number;
  after: number;
}

function cli(role: RabbitmqRole, tool: 'rabbitmqctl' | 'rabbitmq-queues'): string[] {
  const c = rabbitConfigOf(role);
  // rabbitmq-queues sits beside the configured rabbitmqctl (Debian: /usr/lib/rabbitmq/bin, or PATH).
  const path = tool === 'rabbitmqctl' ? c.rabbitmqctl : c.rabbitmqctl.includes('/') ? posix.join(posix.dirname(c.rabbitmqctl), 'rabbitmq-queues') : 'rabbitmq-queues';
  return [...(c.sudo ? ['sudo', '-n'] : []), path, '-q', ...(c.node ? ['-n', c.node] : []), '-t', String(CTL_TIMEOUT_S)];
}

export function leaderReadCommand(role: RabbitmqRole): string {
  const ctl = cli(role, 'rabbitmqctl');
  const run = (name: string, args: string[]) => [
    `printf '${MARK}cmd ${name}\\n'`,
    `bt_o=$(${quote([...ctl, ...args])} </dev/null 2>&1); bt_rc=$?`,
    `printf '%s\\n${MARK}rc %s\\n' "$bt_o" "$bt_rc"`,
  ];
  return [
    `echo '${MARK}format json'`,
    ...run('cluster', ['cluster_status', '--formatter', 'json']),
    ...run('leaders', ['list_queues', '-p', rabbitConfigOf(role).vhost, 'name', 'type', 'leader', '--formatter', 'json']),
    `echo '${MARK}end'`,
  ].join('\n');
}

/** `rabbitmq-queues rebalance all`: moves quorum (and mirrored) queue leaders toward an even spread. */
export function rebalanceLeadersCommand(role: RabbitmqRole): string {
  return `${quote([...cli(role, 'rabbitmq-queues'), 'rebalance', 'all', '--formatter', 'json'])} </dev/null`;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseLeaderRead(output: string): LeaderRead | { error: string } {
  const s = splitSections(output);
  const out = (name: string): { value: unknown } | { error: string } => {
    const c = s.broker.get(name);
    if (!c) return { error: `${name}: no output (cut off)` };
    const first = c.text.trim().split('\n')[0] ?? '';
    if (c.rc !== 0) return { error: `rabbitmqctl ${name === 'cluster' ? 'cluster_status' : 'list_queues'}: ${first || `exited ${c.rc ?? 'early'}`}` };
    const value = json(c.text);
    return value === undefined ? { error: `rabbitmqctl: unreadable JSON: ${first.slice(0, 120)}` } : { value };
  };
  const cluster = out('cluster');
  if ('error' in cluster) return cluster;
  const running = (cluster.value as { running_nodes?: unknown } | null)?.running_nodes;
  if (!Array.isArray(running) || !running.every((n) => typeof n === 'string')) return { error: 'rabbitmqctl cluster_status: no running_nodes list' };
  const queues = out('leaders');
  if ('error' in queues) return queues;
  if (!Array.isArray(queues.value)) return { error: 'rabbitmqctl list_queues: not a JSON list' };
  const leaders: Record<string, number> = {};
  const streams: Record<string, number> = {};
  for (const row of queues.value as { type?: unknown; leader?: unknown }[]) {
    // Classic queues have no leader ("").
    if (typeof row?.leader !== 'string' || row.leader === '') continue;
    const counts = row.type === 'stream' ? streams : leaders;
    counts[row.leader] = (counts[row.leader] ?? 0) + 1;
  }
  return { runningNodes: running as string[], leaders, streams };
}

/** Leaders per running node now and predicted (an even count, the extra ones staying where most are), or why not. */
export function planLeaderSpread(broker: string, read: LeaderRead): LeaderChange[] | string {
  if (read.runningNodes.length <= 1) return SINGLE_NODE;
  const nodes = [...read.runningNodes].sort((a, b) => (read.leaders[b] ?? 0) - (read.leaders[a] ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const total = nodes.reduce((n, node) => n + (read.leaders[node] ?? 0), 0);
  const even = Math.floor(total / nodes.length);
  const extra = total - even * nodes.length;
  const changes = nodes.map((node, i) => ({ broker, node, before: read.leaders[node] ?? 0, after: even + (i < extra ? 1 : 0) }));
  if (changes.every((c) => c.before === c.after)) return `queue leaders already spread over ${nodes.length} nodes (${changes.map((c) => `${c.node} ${c.before}`).join(', ')})`;
  return changes;
}

/** Why the stream leaders are not in the plan, when there are any. */
export function streamLeadersNote(read: LeaderRead): string | undefined {
  const nodes = Object.entries(read.streams).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (nodes.length === 0) return undefined;
  return `rabbitmq-queues rebalance moves quorum (and mirrored classic) queue leaders, not streams: ${nodes.map(([node, n]) => `${node} leads ${n} stream${n === 1 ? '' : 's'}`).join(', ')}`;
}

const range = (counts: number[]): number => Math.max(...counts) - Math.min(...counts);

/** ok when the leaders are no less evenly spread than before; the counts against the plan either way. */
export function judgeLeaders(planned: LeaderChange[], now: LeaderRead): { ok: boolean; text: string } {
  const counts = planned.map((c) => now.leaders[c.node] ?? 0);
  const ok = range(counts) <= range(planned.map((c) => c.before));
  return { ok, text: `leaders ${planned.map((c, i) => `${c.node} ${c.before} → ${counts[i]} (planned ${c.after})`).join(', ')}` };
}
