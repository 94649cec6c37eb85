// What the deploy planner needs from the live hosts, read before planning:
// the release `current` names on every target (the undo and the rollback
// target), which LB servers are each target (every LB's `show stat`, through
// the HAProxy actions' own observe) and the local release's files. Read-only.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { LiveContext } from '../engine/registry.js';
import { observeHaproxy } from '../failover/haproxy/haproxy-observe.js';
import { isHaproxyName } from '../failover/haproxy/haproxy-names.js';
import { runOnHost } from '../failover/host-command.js';
import { idlePool } from './blue-green.js';
import { currentReleaseCommand } from './deploy-commands.js';
import type { DeploySpec } from './deploy-spec.js';
import { deployRoot, type DeployFacts, type LbServer } from './plan-deploy.js';

const READ_TIMEOUT_MS = 10_000;

/** release.from for this version, absolute (relative paths are the deploy file's). */
export function releaseSource(spec: DeploySpec, file: string, version: string): string | undefined {
  const from = spec.release.from?.replaceAll('{version}', version);
  return from === undefined ? undefined : isAbsolute(from) ? from : resolve(dirname(file), from);
}

/** A local file, or every file under a directory, as a base and relative paths. */
export function releaseFiles(path: string): { base: string; files: string[]; dirs: string[] } {
  if (!statSync(path).isDirectory()) return { base: dirname(path), files: [basename(path)], dirs: [] };
  const files: string[] = [];
  const dirs: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        dirs.push(relative(path, full));
        walk(full);
      } else if (e.isFile()) files.push(relative(path, full));
    }
  };
  walk(path);
  return { base: path, files, dirs };
}

/** rollback: the release is on the hosts already, nothing is read here. */
/** pools: blue-green's two pools (hosts), to find the idle one on the LBs. */
export async function observeDeploy(ctx: LiveContext, spec: DeploySpec, file: string, version: string, targets: string[], lbs: boolean, rollback = false, pools?: [string[], string[]]): Promise<DeployFacts> {
  const facts: DeployFacts = { current: {}, lbServers: {}, lbBackends: {}, lbProblems: [] };
  const source = releaseSource(spec, file, version);
  if (source !== undefined && !rollback) facts.release = releaseFiles(source);
  await Promise.all(
    targets.map(async (t) => {
      const root = deployRoot(spec, ctx.inventory.hosts.find((h) => h.id === t)!);
      if (typeof root !== 'string') return (facts.current[t] = { error: root.reason });
      const r = await runOnHost(ctx, t, currentReleaseCommand({ root, releasesDir: spec.releases_dir }), READ_TIMEOUT_MS);
      facts.current[t] = r.ok ? { release: r.result.stdout.trim() } : { error: r.error };
    }),
  );
  if (!lbs) return facts;
  const read = await observeHaproxy(ctx);
  if (pools) facts.blueGreen = idlePool(pools, read.flatMap((l) => (l.snapshot ? [{ lb: l.hostId, snapshot: l.snapshot }] : [])));
  for (const lb of read) {
    if (!lb.snapshot) {
      facts.lbProblems.push(`${lb.hostId} could not be read (${lb.error}): its servers are not drained`);
      continue;
    }
    for (const backend of lb.snapshot.backends) {
      for (const s of backend.servers) {
        // A server is the host when it has the host's name (the lab's, and the usual convention).
        if (s.backup || !targets.includes(s.name) || !isHaproxyName(backend.name)) continue;
        const entry: LbServer = { lb: lb.hostId, backend: backend.name, server: s.name };
        (facts.lbServers[s.name] ??= []).push(entry);
        // The backend's weights now: a canary sets them and puts them back.
        (facts.lbBackends[lb.hostId] ??= {})[backend.name] ??= backend.servers.filter((x) => !x.backup && isHaproxyName(x.name)).map((x) => ({ server: x.name, weight: x.weight ?? 1 }));
      }
    }
  }
  return facts;
}
