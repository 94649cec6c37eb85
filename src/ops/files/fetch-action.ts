// `fetch REMOTE LOCALDIR`: one file from every target into LOCALDIR/HOST/NAME
// (like pslurp), over SFTP on the existing connection. Verify: each local
// copy's sha256 equals the host's `sha256sum` of REMOTE. Reads only: no lock.
import { join, posix } from 'node:path';
import { foldNodeset } from '../../inventory/nodeset.js';
import type { Plan } from '../engine/plan.js';
import { UsageError, type ActionDefinition, type PlanContext, type Refusal } from '../engine/registry.js';
import { selectHosts } from '../select-hosts.js';
import { hostActionOptions } from '../target-args.js';
import { localSha256 } from './file-hash.js';
import { verifyHashes } from './verify-hashes.js';

export interface FetchArgs {
  target: string;
  remotePath: string;
  localDir: string;
  parallel: number;
  timeoutMs: number;
}

/** A host id as one safe directory name (ids are names, but never trust a path component). */
export function hostDirName(host: string): string {
  const safe = host.replace(/[/\0]/g, '_');
  return safe === '.' || safe === '..' ? `_${safe}` : safe;
}

export function fetchedPath(args: Pick<FetchArgs, 'localDir' | 'remotePath'>, host: string): string {
  return join(args.localDir, hostDirName(host), posix.basename(args.remotePath));
}

export function parseFetchArgs(argv: string[], options: Record<string, unknown>): FetchArgs {
  const [target, remotePath, localDir, ...extra] = argv;
  if (!target || !remotePath || !localDir || extra.length > 0) throw new UsageError('fetch needs TARGET REMOTE LOCALDIR');
  if (/[\0\r\n]/.test(remotePath + localDir)) throw new UsageError('REMOTE or LOCALDIR contains a newline or NUL');
  if (remotePath.endsWith('/')) throw new UsageError(`fetch takes one file, not a directory: ${remotePath}`);
  return { target, remotePath, localDir, ...hostActionOptions(options, { parallel: 32, timeoutSeconds: 120 }) };
}

export function planFetch(ctx: PlanContext<unknown>, args: FetchArgs): Plan | Refusal {
  const hosts = selectHosts(ctx.state, args.target, ctx.now);
  if (hosts.length === 0) return { refused: true, reason: `no host matches "${args.target}"` };
  return {
    id: ctx.newId(),
    action: 'fetch',
    title: `fetch ${foldNodeset(hosts)}:${args.remotePath} into ${args.localDir}`,
    args: { ...args },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: hosts,
    locks: [],
    changes: hosts.map((h) => ({ target: h, what: fetchedPath(args, h), before: '-', after: `copy of ${h}:${args.remotePath}` })),
    preconditions: hosts.map((h) => ({ what: `${h} connected`, ok: ctx.state.hosts[h]?.conn === 'up', detail: ctx.state.hosts[h]?.conn })),
    risk: { clusters: [], reasons: [] },
    steps: hosts.map((h) => ({ id: `fetch:${h}`, hostId: h, label: `fetch ${h}:${args.remotePath}`, spec: { kind: 'fetch', remotePath: args.remotePath, localPath: fetchedPath(args, h) }, timeoutMs: args.timeoutMs, retries: 1 })),
    undo: [],
    concurrency: args.parallel,
    failurePolicy: 'continue',
    completion: 'all',
    verify: `the local copy's sha256 equals sha256sum of ${args.remotePath} on each host`,
  };
}

export const fetchAction: ActionDefinition<FetchArgs, unknown> = {
  name: 'fetch',
  summary: 'fetch one file from every target host into LOCALDIR/HOST/ (like pslurp)',
  usage: 'TARGET REMOTE LOCALDIR [--parallel N] [--timeout S]',
  scope: 'selection',
  parseArgs: parseFetchArgs,
  plan: planFetch,
  verify: async (ctx, plan, run) => {
    const args = plan.args as unknown as FetchArgs;
    const local = new Map<string, string>();
    await Promise.all(
      plan.targets
        .filter((h) => run.hostOutcomes[h] !== 'failed' && run.hostOutcomes[h] !== 'cancelled')
        .map(async (h) => local.set(h, await localSha256(fetchedPath(args, h)).catch(() => ''))),
    );
    return verifyHashes(ctx, plan, args.remotePath, (h) => local.get(h) || undefined, 'local copy');
  },
};
