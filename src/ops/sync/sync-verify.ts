// Verify of an apply or rollback: every planned file re-read on its host
// (one command per host, hashing only the planned files) has the planned hash; a host whose install was a
// CONFLICT or failed validation says so.
import { posix } from 'node:path';
import type { Outcome, Plan } from '../engine/plan.js';
import type { LiveContext, VerifyResult } from '../engine/registry.js';
import type { RunResult } from '../engine/runner.js';
import type { SyncPlanArgs } from './apply-plan.js';
import { runRead } from './sync-observe.js';
import { manifestCommand, parseManifest, parsePlannedHashes, plannedHashesCommand } from './tree-manifest.js';

/** The first line a failed install, reload or health check put on stderr (CONFLICT ..., VALIDATE FAILED ...). */
export function hostFailures(run: RunResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of run.results) {
    if (r.outcome === 'ok' || r.outcome === 'cancelled' || out[r.hostId]) continue;
    out[r.hostId] = `${r.label}: ${(r.stderr.trim() || r.error || r.outcome).split('\n').slice(0, 3).join(' | ')}`;
  }
  return out;
}

/** Beyond this many files one command line may not hold them: the whole tree is re-read instead. */
const MAX_LISTED = 500;

/** rel -> sha256 (or `error: ...`) of the planned files as the host holds them now. */
async function rereadPlanned(ctx: LiveContext, host: string, path: string, rels: readonly string[]): Promise<Map<string, string> | { error: string }> {
  if (rels.length > MAX_LISTED) {
    const r = await runRead(ctx.transports.get(host), host, manifestCommand(path));
    const m = 'error' in r ? r : parseManifest(r.stdout, r.stderr);
    return 'error' in m ? m : new Map(m.files.map((f) => [f.rel, f.sha256 ?? `error: ${f.error}`]));
  }
  const r = await runRead(ctx.transports.get(host), host, plannedHashesCommand(path, rels));
  return 'error' in r ? r : parsePlannedHashes(r.stdout, rels.length === 1 && rels[0] === '');
}

export async function verifySync(ctx: LiveContext, plan: Plan, run: RunResult): Promise<VerifyResult> {
  const args = plan.args as unknown as SyncPlanArgs;
  const failures = hostFailures(run);
  const hosts: Record<string, Outcome> = {};
  const problems: string[] = [];
  await Promise.all(
    Object.entries(args.expected).map(async ([host, entries]) => {
      const now = await rereadPlanned(ctx, host, args.path, entries.map((e) => e.rel));
      if ('error' in now) {
        hosts[host] = 'unknown';
        return problems.push(`${host}: cannot re-read: ${now.error}`);
      }
      const wrong = entries.filter((e) => (now.get(e.rel) ?? null) !== e.after);
      hosts[host] = wrong.length === 0 ? 'ok' : 'failed';
      if (wrong.length > 0) problems.push(`${host}: ${wrong.length} file(s) not as planned (${wrong.slice(0, 3).map((e) => (e.rel ? posix.join(args.path, e.rel) : args.path)).join(', ')})${failures[host] ? ` — ${failures[host]}` : ''}`);
      else if (failures[host]) {
        hosts[host] = 'failed';
        problems.push(`${host}: files as planned, but ${failures[host]}`);
      }
    }),
  );
  const values = Object.values(hosts);
  const outcome: Outcome = values.includes('failed') ? 'failed' : values.includes('unknown') ? 'unknown' : 'ok';
  const ok = values.filter((v) => v === 'ok').length;
  return { outcome, detail: `${ok}/${values.length} hosts hold the planned sha256 of every file${problems.length ? '; ' + problems.sort().join('; ') : ''}`, hosts };
}
