// Whether a baton state holds for a custom action's item, read from a fresh
// reading of its service (pure): "server web2 is DRAIN on every LB that has
// it", "web-group runs on node2", "etcd2 leads".
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import type { ServiceRead } from '../engine/read-service.js';
import type { CustomScope } from './custom-action-spec.js';
import type { RunSite } from './custom-sites.js';

export interface StateCheck {
  holds: boolean;
  /** What was seen, for the verify line. */
  seen: string;
}

const kindOf: Partial<Record<CustomScope, string>> = {
  'haproxy.server': 'haproxy',
  'haproxy.backend': 'haproxy',
  'pacemaker.resource': 'pacemaker',
  'pacemaker.node': 'pacemaker',
  'etcd.member': 'etcd',
};

/** The service kind a scope's state is read from; undefined for host scopes. */
export const stateServiceKind = (scope: CustomScope): string | undefined => kindOf[scope];

export function checkState(scope: CustomScope, wanted: string, site: RunSite, reads: readonly ServiceRead[]): StateCheck {
  const v = site.values;
  switch (scope) {
    case 'haproxy.server':
    case 'haproxy.backend': {
      const snapshot = reads.find((r) => r.kind === 'haproxy' && r.key === site.hostId)?.snapshot as HaproxySnapshot | undefined;
      const backend = snapshot?.backends.find((b) => b.name === v.BACKEND);
      const status = scope === 'haproxy.server' ? backend?.servers.find((s) => s.name === v.SERVER) : backend;
      if (!status) return { holds: false, seen: `${site.hostId}: ${v.BACKEND}${v.SERVER ? `/${v.SERVER}` : ''} not found` };
      // A server without health checks ("no check") is in rotation: UP as far as the operator asks.
      const accepted = wanted === 'UP' ? ['up', 'no-check'] : [wanted.toLowerCase()];
      return { holds: accepted.includes(status.state), seen: `${site.hostId}: ${status.statusText}` };
    }
    case 'pacemaker.resource':
    case 'pacemaker.node': {
      const snapshot = reads.find((r) => r.kind === 'pacemaker' && r.key === v.CLUSTER)?.snapshot as PacemakerSnapshot | undefined;
      if (!snapshot) return { holds: false, seen: `cluster ${v.CLUSTER} not read` };
      if (scope === 'pacemaker.node') {
        const node = snapshot.nodes.find((n) => n.name === v.NODE);
        return { holds: node?.state === wanted, seen: `${v.NODE}: ${node?.state ?? 'not found'}` };
      }
      const parts = snapshot.resources.filter((r) => r.id === v.RESOURCE || r.group === v.RESOURCE || r.clone === v.RESOURCE);
      const nodes = [...new Set(parts.filter((r) => r.active).flatMap((r) => r.nodes))];
      const seen = `${v.RESOURCE}: ${nodes.length ? `runs on ${nodes.join(', ')}` : 'stopped'}`;
      if (wanted === 'started') return { holds: nodes.length > 0, seen };
      if (wanted === 'stopped') return { holds: nodes.length === 0, seen };
      const on = wanted.replace(/^on /, '');
      return { holds: nodes.includes(on), seen };
    }
    case 'etcd.member': {
      const snapshot = reads.find((r) => r.kind === 'etcd')?.snapshot as EtcdSnapshot | undefined;
      const m = snapshot?.members.find((x) => x.name === v.MEMBER);
      if (!m) return { holds: false, seen: `${v.MEMBER} not found` };
      const holds = wanted === 'leader' ? m.leader : wanted === 'healthy' ? m.healthy === true : wanted === 'up' ? m.up === true : false;
      return { holds, seen: `${v.MEMBER}: ${m.leader ? 'leader' : 'follower'}, ${m.up ? 'up' : 'down'}${m.healthy === false ? ', unhealthy' : ''}` };
    }
    default:
      return { holds: false, seen: `state ${wanted} is not read for scope ${scope}` };
  }
}
