// One fresh reading of a service (an LB, a Pacemaker or etcd cluster) with
// the probe the panes use: its command on the service's hosts in order, the
// first that parses wins. For planning from live facts and for verifying
// that a state holds, in the console and the CLI alike (the CLI polls none).
import { planServices } from '../../monitor/service-plan.js';
import type { ServiceKind } from '../../store/services.js';
import type { LiveContext } from './registry.js';

const READ_TIMEOUT_MS = 15_000;

export interface ServiceRead {
  kind: ServiceKind;
  /** Cluster name or host id, as in the store. */
  key: string;
  candidates: string[];
  answeredBy: string;
  snapshot: unknown;
}

export interface ServiceReadFailure {
  kind: ServiceKind;
  key: string;
  error: string;
}

export async function readServices(ctx: LiveContext, kind: ServiceKind): Promise<(ServiceRead | ServiceReadFailure)[]> {
  const probes = planServices(ctx.inventory).filter((p) => p.kind === kind);
  return Promise.all(
    probes.map(async (probe): Promise<ServiceRead | ServiceReadFailure> => {
      const why: string[] = [];
      for (const hostId of probe.candidates) {
        const t = ctx.transports.get(hostId);
        if (!t) continue;
        try {
          await t.connect();
          const r = await t.exec(probe.command(hostId), { timeoutMs: READ_TIMEOUT_MS });
          if (r.timedOut) throw new Error(`no answer within ${READ_TIMEOUT_MS / 1000} s`);
          const parsed = probe.parse(r.stdout, ctx.now());
          if (parsed.kind === 'snapshot') return { kind, key: probe.key, candidates: probe.candidates, answeredBy: hostId, snapshot: parsed.snapshot };
          why.push(`${hostId}: ${parsed.message}`);
        } catch (err) {
          why.push(`${hostId}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
      return { kind, key: probe.key, error: why.join('; ') || 'no host to ask' };
    }),
  );
}

export const isServiceRead = (r: ServiceRead | ServiceReadFailure): r is ServiceRead => 'snapshot' in r;
