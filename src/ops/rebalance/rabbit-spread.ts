// The RabbitMQ half of the queue lever: queue leaders (quorum and stream
// queues) spread over the running nodes with `rabbitmq-queues rebalance all`.
// Read with rabbitmqctl on the broker host (cluster_status and list_queues
// ... leader, both --formatter json, framed like the Redis read); a broker
// with one running node has nothing to spread. The plan predicts an even
// count per node (what rebalance aims at); verify reads the leaders again.
// Stream leaders are counted apart: rebalance moves quorum (and mirrored
// classic) queue leaders only, so on a real cluster streams stay put; nor
// can it move a leader whose queue has no member on another running node
// (a quorum queue declared before the node joined keeps its one member).
import { posix } from 'node:path';
import { quote } from 'shell-quote';
import type { RabbitmqRole } from '../../inventory/types.js';
import { rabbitConfigOf } from '../../probes/queues/queue-service.js';
import { MARK, splitSections } from '../../probes/queues/redis-sections.js';

/** rabbitmqctl's own RPC timeout (s), under the step's. */
const CTL_TIMEOUT_S = 8;

const range = (counts: number[]): number => Math.max(...counts) - Math.min(...counts);

export const SINGLE_NODE = 'single-node broker: nothing to spread';

export interface LeaderRead {
  runningNodes: string[];
  /** Queues whose leader rebalance moves (quorum, mirrored classic), per leader node. */
  leaders: Record<string, number>;
  /** Stream leaders per node: rebalance leaves them where they are. */
  streams: Record<string, number>;
  /** Of `leaders`, those whose queue has no member on another running node: they cannot move. */
  pinned: Record<string, number>;
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
    ...run('leaders', ['list_queues', '-p', rabbitConfigOf(role).vhost, 'name', 'type', 'leader', 'members', '--formatter', 'json']),
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
  const pinned: Record<string, number> = {};
  const add = (counts: Record<string, number>, node: string) => (counts[node] = (counts[node] ?? 0) + 1);
  for (const row of queues.value as { type?: unknown; leader?: unknown; members?: unknown }[]) {
    // Classic queues have no leader ("").
    if (typeof row?.leader !== 'string' || row.leader === '') continue;
    if (row.type === 'stream') {
      add(streams, row.leader);
      continue;
    }
    add(leaders, row.leader);
    const members = Array.isArray(row.members) ? row.members : [];
    if (!members.some((m) => m !== row.leader && running.includes(m))) add(pinned, row.leader);
  }
  return { runningNodes: running as string[], leaders, streams, pinned };
}

/**
 * Leaders per running node now and predicted, or why not: an even count (the
 * extra ones staying where most are), except that a node keeps the leaders
 * that cannot move when they are more than its share; the others share the rest.
 * Each movable leader is taken to be free to go to any running node (true
 * when its queue has a member on every node, the default).
 */
export function planLeaderSpread(broker: string, read: LeaderRead): LeaderChange[] | string {
  if (read.runningNodes.length <= 1) return SINGLE_NODE;
  const nodes = [...read.runningNodes].sort((a, b) => (read.leaders[b] ?? 0) - (read.leaders[a] ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const after = new Map<string, number>();
  let rest = nodes.reduce((n, node) => n + (read.leaders[node] ?? 0), 0);
  for (let open = nodes; ; ) {
    const even = Math.floor(rest / open.length);
    const stuck = open.filter((node) => (read.pinned[node] ?? 0) > even);
    if (stuck.length === 0) {
      const extra = rest - even * open.length;
      open.forEach((node, i) => after.set(node, even + (i < extra ? 1 : 0)));
      break;
    }
    for (const node of stuck) {
      after.set(node, read.pinned[node]!);
      rest -= read.pinned[node]!;
    }
    open = open.filter((node) => !stuck.includes(node));
  }
  const changes = nodes.map((node) => ({ broker, node, before: read.leaders[node] ?? 0, after: after.get(node)! }));
  if (changes.every((c) => c.before === c.after)) {
    const pinned = nodes.reduce((n, node) => n + (read.pinned[node] ?? 0), 0);
    const counts = changes.map((c) => `${c.node} ${c.before}`).join(', ');
    return range(changes.map((c) => c.before)) <= 1 || pinned === 0
      ? `queue leaders already spread over ${nodes.length} nodes (${counts})`
      : `queue leaders cannot spread further (${counts}): ${pinned} quorum queue${pinned === 1 ? ' has' : 's have'} no member on another running node (rabbitmq-queues grow adds members)`;
  }
  return changes;
}

/** Why the stream leaders are not in the plan, when there are any. */
export function streamLeadersNote(read: LeaderRead): string | undefined {
  const nodes = Object.entries(read.streams).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (nodes.length === 0) return undefined;
  return `rabbitmq-queues rebalance moves quorum (and mirrored classic) queue leaders, not streams: ${nodes.map(([node, n]) => `${node} leads ${n} stream${n === 1 ? '' : 's'}`).join(', ')}`;
}

/** ok when the leaders are at least as evenly spread as planned (nothing moved is not ok); the counts against the plan either way. */
export function judgeLeaders(planned: LeaderChange[], now: LeaderRead): { ok: boolean; text: string } {
  const counts = planned.map((c) => now.leaders[c.node] ?? 0);
  const ok = range(counts) <= range(planned.map((c) => c.after));
  return { ok, text: `leaders ${planned.map((c, i) => `${c.node} ${c.before} → ${counts[i]} (planned ${c.after})`).join(', ')}` };
}
