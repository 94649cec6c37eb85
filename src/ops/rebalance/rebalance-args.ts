// `baton act rebalance [--strategy S] [--lever L ...] [--band N] [--max-step P] [--settle S] [--seed N] [--idle S] [--allow-zero]`:
// parsed here; what is not given comes from the inventory's rebalance
// defaults at planning time, then from the built-in ones.
import type { Inventory } from '../../inventory/types.js';
import { UsageError } from '../engine/registry.js';
import { STRATEGIES, type Strategy } from './strategies.js';

/** The levers that are built; the others are not offered until they are real. */
export const LEVERS = ['haproxy', 'etcd', 'queues', 'pacemaker', 'pacemaker-balanced', 'pacemaker-stale'] as const;
export type Lever = (typeof LEVERS)[number];

export const REBALANCE_DEFAULTS = { strategy: 'resource_based' as Strategy, band: 10, maxStepPercent: 50, settleSeconds: 10, seed: 14, idleSeconds: 60, staleHours: 24, allowZero: false };

export interface RebalanceArgs {
  strategy?: Strategy;
  /** Absent: every lever the inventory has a role for. */
  levers?: Lever[];
  band?: number;
  maxStepPercent?: number;
  settleSeconds?: number;
  seed?: number;
  /** queues: a consumer idle longer than this (s) has its pending entries claimed. */
  idleSeconds?: number;
  /** haproxy: a server on a host over the band may go to weight 0 (never the last of its backend). */
  allowZero?: boolean;
  /** pacemaker-stale: a cli constraint baton made longer ago than this (hours) is stale. */
  staleHours?: number;
  timeoutMs: number;
}

/** Every setting decided: the arguments over the inventory's defaults over the built-in ones. */
export type ResolvedArgs = Required<Omit<RebalanceArgs, 'timeoutMs'>> & { timeoutMs: number; /** The levers were named (--lever): one that cannot act is a refusal, not skipped. */ leversNamed: boolean };

type Roles = Inventory['hosts'][number]['roles'];
const HAS_LEVER: Record<Lever, (r: Roles) => boolean> = { haproxy: (r) => Boolean(r.haproxy), etcd: (r) => Boolean(r.etcd), queues: (r) => Boolean(r.redis || r.rabbitmq), pacemaker: (r) => Boolean(r.pacemaker), 'pacemaker-balanced': (r) => Boolean(r.pacemaker), 'pacemaker-stale': (r) => Boolean(r.pacemaker) };

/** Levers taken only when named: clearing stale constraints is housekeeping, not a response to load; balanced placement replaces the pacemaker lever's pinning. */
const ON_REQUEST: readonly Lever[] = ['pacemaker-balanced', 'pacemaker-stale'];

/** The levers the inventory has hosts for. */
export const availableLevers = (inventory: Pick<Inventory, 'hosts'>): Lever[] => LEVERS.filter((l) => !ON_REQUEST.includes(l) && inventory.hosts.some((h) => HAS_LEVER[l](h.roles)));

const STEP_TIMEOUT_MS = 15_000;

function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${String(value)}"`);
  return n;
}

export function parseRebalanceArgs(argv: string[], options: Record<string, unknown>): RebalanceArgs {
  if (argv.length > 0) throw new UsageError(`rebalance takes no arguments, got "${argv.join(' ')}"`, 'baton act rebalance --strategy resource_based --lever haproxy --plan');
  const strategy = options.strategy as string | undefined;
  if (strategy !== undefined && !(STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, got "${strategy}"`);
  const raw = options.lever === undefined ? undefined : ([] as string[]).concat(options.lever as string | string[]).flatMap((l) => l.split(','));
  const unknown = (raw ?? []).filter((l) => !(LEVERS as readonly string[]).includes(l));
  if (unknown.length > 0) throw new UsageError(`--lever ${unknown.join(', ')}: levers are ${LEVERS.join(', ')}`);
  const args: RebalanceArgs = { timeoutMs: (numberOption(options.timeout, 'timeout', 1, 600) ?? STEP_TIMEOUT_MS / 1000) * 1000 };
  if (raw !== undefined) args.levers = [...new Set(raw)] as Lever[];
  if (args.levers?.includes('pacemaker') && args.levers.includes('pacemaker-balanced')) throw new UsageError('--lever pacemaker pins moves with constraints, pacemaker-balanced lets Pacemaker place by utilization: two answers to the same load, pick one');
  if (strategy !== undefined) args.strategy = strategy as Strategy;
  const band = numberOption(options.band, 'band', 1, 50);
  const maxStep = numberOption(options.maxStep, 'max-step', 1, 100);
  const settle = numberOption(options.settle, 'settle', 0, 600);
  const seed = numberOption(options.seed, 'seed', 0, 2 ** 32 - 1);
  const idle = numberOption(options.idle, 'idle', 0, 86_400);
  const staleHours = numberOption(options.staleHours, 'stale-hours', 0, 8_760);
  if (band !== undefined) args.band = band;
  if (maxStep !== undefined) args.maxStepPercent = maxStep;
  if (settle !== undefined) args.settleSeconds = settle;
  if (seed !== undefined) args.seed = Math.trunc(seed);
  if (idle !== undefined) args.idleSeconds = idle;
  if (options.allowZero === true) args.allowZero = true;
  if (staleHours !== undefined) args.staleHours = staleHours;
  return args;
}

export function resolveArgs(args: RebalanceArgs, inventory: Inventory): ResolvedArgs {
  const d = inventory.rebalance ?? {};
  return {
    strategy: args.strategy ?? d.strategy ?? REBALANCE_DEFAULTS.strategy,
    levers: args.levers ?? availableLevers(inventory),
    leversNamed: args.levers !== undefined,
    band: args.band ?? d.band ?? REBALANCE_DEFAULTS.band,
    maxStepPercent: args.maxStepPercent ?? d.maxStepPercent ?? REBALANCE_DEFAULTS.maxStepPercent,
    settleSeconds: args.settleSeconds ?? d.settleSeconds ?? REBALANCE_DEFAULTS.settleSeconds,
    seed: args.seed ?? REBALANCE_DEFAULTS.seed,
    idleSeconds: args.idleSeconds ?? REBALANCE_DEFAULTS.idleSeconds,
    allowZero: args.allowZero ?? REBALANCE_DEFAULTS.allowZero,
    staleHours: args.staleHours ?? REBALANCE_DEFAULTS.staleHours,
    timeoutMs: args.timeoutMs,
  };
}
