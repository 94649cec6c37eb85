// A deploy pipeline as written in deploys/*.yaml: which hosts, which release
// (and where it comes from), the Capistrano layout, the stages (a DAG), the
// strategy that cuts the hosts into batches, the gates and the failure policy.
import { z } from 'zod';
import { duration } from '../drills/drill-spec.js';

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lower-case name such as web-rolling or restart');
/** A count (2), a percentage ("25%"). */
const amount = z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?%$/, 'expected a count or a percentage such as 25%')]);

export const BUILTINS = ['upload', 'link', 'lb-drain', 'lb-ready', 'health', 'wait'] as const;
export type Builtin = (typeof BUILTINS)[number];

export const healthSchema = z
  .strictObject({
    /** `{address}` and `{host}` are replaced by the host's. Checked from where baton runs. */
    url: z.string().regex(/^https?:\/\/\S+$/, 'expected an http:// or https:// URL').optional(),
    status: z.number().int().min(100).max(599).default(200),
    /** The answer must contain this text (`{version}` is the release's version). */
    body: z.string().optional(),
    /** A command on the host instead: exit 0 is healthy. */
    command: z.string().min(1).optional(),
    /** Keep asking until this deadline. */
    within: duration.default(10_000),
    /** Healthy this many times in a row. */
    consecutive: z.number().int().min(1).max(20).default(2),
  })
  .refine((h) => (h.url === undefined) !== (h.command === undefined), 'health needs exactly one of url, command');

/** A canary step's analysis over its pause, from the LBs' own counters for the new servers. */
export const analysisSchema = z.strictObject({
  /** 5xx answers of the new servers, in percent of their answers, above which the step fails. */
  max_error_percent: z.number().min(0).max(100).default(1),
  /** Fewer answers than this over the pause is no data: inconclusive (the deploy pauses for a human). */
  min_requests: z.number().int().min(0).default(10),
  /** HAProxy's average response time of the server (rtime, ms) above which the step fails. */
  max_response_ms: z.number().int().positive().optional(),
  /** The canary host's own CPU busy over the pause, in percent, above which the step fails. */
  max_cpu_percent: z.number().min(0).max(100).optional(),
  /** The canary host's memory in use (MemTotal - MemAvailable) at the end of the pause, in percent, above which the step fails. */
  max_mem_percent: z.number().min(0).max(100).optional(),
  /** Growth of the Redis brokers' backlog over the pause (lists' length, streams' groups' lag + pending) above which the step fails. */
  max_backlog_growth: z.number().int().min(0).optional(),
});

export const stageSchema = z
  .strictObject({
    name,
    command: z.string().min(1).optional(),
    builtin: z.enum(BUILTINS).optional(),
    needs: z.array(name).default([]),
    timeout: duration.default(300_000),
    retries: z.number().int().min(0).max(10).default(0),
    /** The first retry waits this long; each later one twice as long. */
    backoff: duration.default(1000),
    run_on: z.enum(['each', 'once', 'local']).default('each'),
    /** Run when the host is rolled back, once `current` points at the previous release again. */
    rollback: z.string().min(1).optional(),
    /** lb-drain: how long current sessions may take to end. */
    drain_deadline: duration.default(30_000),
    /** health: the check (default: the deploy's gates.health). */
    health: healthSchema.optional(),
    /** wait: how long. */
    duration: duration.optional(),
  })
  .refine((s) => (s.command === undefined) !== (s.builtin === undefined), 'a stage needs exactly one of command, builtin')
  .refine((s) => s.builtin !== 'wait' || s.duration !== undefined, 'builtin: wait needs duration:');

export const strategySchema = z
  .strictObject({
    kind: z.enum(['rolling', 'parallel', 'sequential', 'blue-green', 'canary']),
    /** rolling: hosts per batch: a count, a percentage, or a list whose last entry repeats. */
    serial: z.union([amount, z.array(amount).min(1)]).default(1),
    /** blue-green: the two pools, each a host filter (group=blue). */
    pools: z.tuple([z.string().min(1), z.string().min(1)]).optional(),
    /** canary: traffic weights (percent of the new servers' configured weight) step by step. */
    steps: z.array(z.number().int().min(1).max(100)).optional(),
    pause: duration.default(30_000),
  })
  .refine((s) => s.kind !== 'blue-green' || s.pools !== undefined, 'blue-green needs pools: [FILTER, FILTER]')
  .refine((s) => s.kind !== 'canary' || s.steps !== undefined, 'canary needs steps: e.g. [10, 30, 50, 100]');

export const deploySchema = z.strictObject({
  name,
  description: z.string().optional(),
  /** A host filter, the console's `/` syntax. */
  targets: z.string().min(1),
  release: z
    .strictObject({
      /** The default version when `--version` is not given. */
      version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a version such as v2 or 2026.12.03-1').optional(),
      /** A local file or directory uploaded over SFTP; `{version}` is replaced. Relative to the deploy file. */
      from: z.string().min(1).optional(),
      /** A command run on each host that puts the release in $RELEASE_DIR. */
      fetch: z.string().min(1).optional(),
    })
    .refine((r) => (r.from === undefined) !== (r.fetch === undefined), 'release needs exactly one of from, fetch'),
  /** Where releases/ and current live on the host; `${vars.NAME}` reads an inventory var. */
  deploy_to: z.string().min(1).default('${vars.deploy_root}'),
  releases_dir: z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected a directory name under deploy_to').default('releases'),
  keep: z.number().int().min(1).max(100).default(5),
  stages: z.array(stageSchema).min(1),
  strategy: strategySchema.default({ kind: 'rolling', serial: 1, pause: 30_000 }),
  gates: z.strictObject({ health: healthSchema.optional(), analysis: analysisSchema.optional() }).default({}),
  /** Hosts that may fail in one batch (count or %) before the deploy stops; see README. */
  max_fail: amount.optional(),
  /** Hosts out of rotation at once, across batches. */
  max_unavailable: amount.optional(),
  on_failure: z.enum(['stop', 'continue', 'ignore']).default('stop'),
  rollback: z.enum(['auto', 'manual']).default('auto'),
});

export type DeploySpec = z.output<typeof deploySchema>;
export type StageSpec = z.output<typeof stageSchema>;
export type HealthSpec = z.output<typeof healthSchema>;
export type AnalysisSpec = z.output<typeof analysisSchema>;
export type StrategySpec = z.output<typeof strategySchema>;
export type Amount = z.output<typeof amount>;

/** The keys allowed where an unknown key was written, for the error and its did-you-mean. */
export function keysAt(path: readonly (string | number)[]): string[] {
  const [top] = path;
  if (path.length === 0) return Object.keys(deploySchema.shape);
  if (top === 'stages' && path.length === 2) return Object.keys(stageSchema.shape);
  if (top === 'stages' && path[2] === 'health') return Object.keys(healthSchema.shape);
  if (top === 'strategy') return Object.keys(strategySchema.shape);
  if (top === 'gates' && path.length === 1) return ['health', 'analysis'];
  if (top === 'gates') return Object.keys((path[1] === 'analysis' ? analysisSchema : healthSchema).shape);
  if (top === 'release') return ['version', 'from', 'fetch'];
  return [];
}
