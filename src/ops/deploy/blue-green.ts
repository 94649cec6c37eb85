// Blue/green: two pools (host filters); the one out of rotation on the LBs
// is idle and gets the release (no drain: it takes no traffic), then one
// runtime API call per LB puts the idle pool in and drains the active one:
// the switch. The old pool keeps its release, so going back is the same
// switch the other way (`baton deploy rollback`). Pure but for the reading.
import type { HaproxyRole } from '../../inventory/types.js';
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import { inRotation } from '../failover/haproxy/haproxy-plan.js';
import { adminApplyCommand } from '../failover/haproxy/haproxy-admin-socket.js';
import { waitUpCommand } from './deploy-commands.js';
import type { LbServer } from './plan-deploy.js';

/** Which pool takes traffic on the LBs that list its hosts; the other is the idle one. */
export function idlePool(pools: [string[], string[]], snapshots: ReadonlyArray<{ lb: string; snapshot: HaproxySnapshot }>): { idle: string[]; active: string[] } | { error: string } {
  const serving = (host: string) => snapshots.some(({ snapshot }) => snapshot.backends.some((b) => b.servers.some((s) => s.name === host && inRotation(s))));
  const live = pools.map((p) => p.filter(serving));
  if (pools.some((p) => p.length === 0)) return { error: 'a blue-green pool selects no host' };
  if (live[0]!.length > 0 && live[1]!.length > 0) return { error: `both pools take traffic (${live[0]!.join(',')} and ${live[1]!.join(',')}): drain one of them first (baton act haproxy.drain BACKEND/SERVER)` };
  if (live[0]!.length === 0 && live[1]!.length === 0) return { error: 'neither pool takes traffic: ready one of them first (baton act haproxy.ready BACKEND/SERVER)' };
  return live[0]!.length > 0 ? { idle: pools[1], active: pools[0] } : { idle: pools[0], active: pools[1] };
}

/** On one LB: wait until every idle server is UP by its own check, then ready them and drain the active ones in one call. */
export function switchCommand(role: HaproxyRole, idle: readonly LbServer[], active: readonly LbServer[], deadlineMs: number): string {
  const waits = idle.map((s) => waitUpCommand(role, s.backend, s.server, deadlineMs, true));
  const query = [...idle.map((s) => `set server ${s.backend}/${s.server} state ready`), ...active.map((s) => `set server ${s.backend}/${s.server} state drain`)].join(';');
  return [...waits.map((w) => `(\n${w}\n) || exit $?`), adminApplyCommand(role, query)].join('\n');
}
