// `copy LOCAL REMOTE`: one local file to every target over SFTP on the
// existing connection (temp file beside the target, then rename). Verify:
// each host's `sha256sum` of REMOTE equals the local file's.
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { quote } from 'shell-quote';
import { foldNodeset } from '../../inventory/nodeset.js';
import { compactStamp, type Plan, type Step } from '../engine/plan.js';
import { UsageError, type ActionDefinition, type LiveContext, type PlanContext, type Refusal } from '../engine/registry.js';
import { selectHosts } from '../select-hosts.js';
import { hostActionOptions } from '../target-args.js';
import { localSha256, remoteSha256, type RemoteHash } from './file-hash.js';
import { verifyHashes } from './verify-hashes.js';

export interface CopyArgs {
  target: string;
  localPath: string;
  remotePath: string;
  backup: boolean;
  parallel: number;
  timeoutMs: number;
}

export interface CopyFacts {
  local: { sha256: string; mode: number; size: number };
  remote: Record<string, RemoteHash>;
}

const short = (h: RemoteHash) => ('hash' in h ? `sha256 ${h.hash.slice(0, 12)}` : 'absent' in h ? 'absent' : `unreadable (${h.error})`);

export function parseCopyArgs(argv: string[], options: Record<string, unknown>): CopyArgs {
  const [target, localPath, remoteArg, ...extra] = argv;
  if (!target || !localPath || !remoteArg || extra.length > 0) throw new UsageError('copy needs TARGET LOCAL REMOTE');
  for (const [what, v] of [['LOCAL', localPath], ['REMOTE', remoteArg]] as const) {
    if (/[\0\r\n]/.test(v)) throw new UsageError(`${what} contains a newline or NUL`);
  }
  // Like scp: a REMOTE ending in / is a directory, the file keeps its name.
  const remotePath = remoteArg.endsWith('/') ? remoteArg + posix.basename(localPath) : remoteArg;
  return { target, localPath, remotePath, backup: options.backup === true, ...hostActionOptions(options, { parallel: 32, timeoutSeconds: 120 }) };
}

async function observeCopy(ctx: LiveContext, args: CopyArgs): Promise<CopyFacts> {
  const st = await stat(args.localPath).catch((err: Error) => {
    throw new UsageError(`cannot read ${args.localPath}: ${err.message}`);
  });
  if (!st.isFile()) throw new UsageError(`${args.localPath} is not a regular file`);
  const hosts = selectHosts(ctx.state, args.target, ctx.now());
  const remote: Record<string, RemoteHash> = {};
  await Promise.all(hosts.map(async (h) => (remote[h] = ctx.state.hosts[h]?.conn === 'up' ? await remoteSha256(ctx.transports.get(h), args.remotePath) : { error: 'not connected' })));
  return { local: { sha256: await localSha256(args.localPath), mode: st.mode & 0o7777, size: st.size }, remote };
}

export function planCopy(ctx: PlanContext<CopyFacts>, args: CopyArgs): Plan | Refusal {
  const hosts = selectHosts(ctx.state, args.target, ctx.now);
  if (hosts.length === 0) return { refused: true, reason: `no host matches "${args.target}"` };
  const { local, remote } = ctx.facts;
  const backupPath = args.backup ? `${args.remotePath}.baton-bak-${compactStamp(ctx.now)}` : undefined;
  const up = hosts.filter((h) => ctx.state.hosts[h]?.conn === 'up');
  const steps: Step[] = hosts.map((h) => ({
    id: `upload:${h}`,
    hostId: h,
    label: `copy ${args.localPath} -> ${h}:${args.remotePath}`,
    spec: { kind: 'upload', localPath: args.localPath, remotePath: args.remotePath, mode: local.mode, backupPath },
    timeoutMs: args.timeoutMs,
    retries: 1, // the rename makes a repeated upload harmless
  }));
  // Undo restores the backup, or removes a file that did not exist before; without either there is none.
  const undo: Step[] = hosts.flatMap((h): Step[] => {
    const before = remote[h];
    const command = before && 'absent' in before ? `rm -f -- ${quote([args.remotePath])}` : backupPath && before && 'hash' in before ? `mv -f -- ${quote([backupPath])} ${quote([args.remotePath])}` : undefined;
    return command ? [{ id: `undo:${h}`, hostId: h, label: `undo copy on ${h}`, spec: { kind: 'command', command }, timeoutMs: 30_000, retries: 0 }] : [];
  });
  return {
    id: ctx.newId(),
    action: 'copy',
    title: `copy ${args.localPath} to ${foldNodeset(hosts)}:${args.remotePath}`,
    args: { ...args },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: hosts,
    locks: up.map((h) => `host:${h}`),
    changes: hosts.map((h) => ({ target: h, what: args.remotePath, before: remote[h] ? short(remote[h]) : 'unknown', after: `sha256 ${local.sha256.slice(0, 12)} (${local.size} bytes, mode ${local.mode.toString(8)})` })),
    preconditions: hosts.map((h) => ({ what: `${h} connected`, ok: up.includes(h), detail: ctx.state.hosts[h]?.conn })),
    risk: { clusters: [], reasons: [] },
    steps,
    undo,
    concurrency: args.parallel,
    failurePolicy: 'continue',
    completion: 'all',
    verify: `sha256sum of ${args.remotePath} on each host equals the local file's (${local.sha256.slice(0, 12)})`,
  };
}

export const copyAction: ActionDefinition<CopyArgs, CopyFacts> = {
  name: 'copy',
  summary: 'copy a local file to the target hosts (SFTP, temp file + rename, mode kept; --backup keeps the old one)',
  usage: 'TARGET LOCAL REMOTE [--backup] [--parallel N] [--timeout S]',
  scope: 'selection',
  parseArgs: parseCopyArgs,
  observe: observeCopy,
  plan: planCopy,
  verify: async (ctx, plan) => {
    const args = plan.args as unknown as CopyArgs;
    const expected = await localSha256(args.localPath);
    return verifyHashes(ctx, plan, args.remotePath, () => expected, 'remote file');
  },
};
