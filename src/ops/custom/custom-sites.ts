// Where a custom action runs, and with which variable values: pure, from the
// store. A host scope runs on each matching host; a service item runs on the
// host(s) that serve it (every LB that has the server, one live node of the
// Pacemaker cluster, one live etcd member).
import type { HostSpec } from '../../inventory/types.js';
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import type { BatonState } from '../../store/types.js';
import type { ServiceRead } from '../engine/read-service.js';
import type { Refusal } from '../engine/registry.js';
import { selectHosts } from '../select-hosts.js';
import type { CustomScope } from './custom-action-spec.js';

export interface RunSite {
  hostId: string;
  values: Record<string, string>;
  /** What the action is about, for the plan and the lock: `host:web1`, `haproxy:lb1:app/web2`. */
  item: string;
}

const refuse = (reason: string, hint?: string): Refusal => ({ refused: true, reason, hint });

function hostValues(spec: HostSpec): Record<string, string> {
  return { HOST: spec.id, ADDRESS: spec.address, USER: spec.user, PORT: String(spec.port) };
}

/** The service's first host that is up, else the one that answered: where the command is sent. */
function liveHost(state: BatonState, read: ServiceRead): string {
  return read.candidates.find((h) => state.hosts[h]?.conn === 'up') ?? read.answeredBy;
}

const names = (list: string[]) => (list.length ? list.slice(0, 20).join(', ') + (list.length > 20 ? ` and ${list.length - 20} more` : '') : 'none');

/** `reads`: fresh readings of the scope's service (none for host scopes). */
export function runSites(state: BatonState, scope: CustomScope, target: string, now: number, reads: readonly ServiceRead[]): RunSite[] | Refusal {
  const of = <S>(kind: string) => reads.filter((r) => r.kind === kind).map((read) => ({ read, snapshot: read.snapshot as S }));
  const spec = (id: string) => state.hosts[id]!.spec;
  switch (scope) {
    case 'host':
    case 'selection': {
      const hosts = selectHosts(state, target, now);
      if (hosts.length === 0) return refuse(`no host matches "${target}"`, 'baton hosts lists the inventory');
      if (scope === 'host' && hosts.length > 1) return refuse(`"${target}" matches ${hosts.length} hosts; this action runs on one host`, `name one of ${names(hosts)}`);
      return hosts.map((h) => ({ hostId: h, values: hostValues(spec(h)), item: `host:${h}` }));
    }
    case 'group': {
      const members = state.inventory.groups[target];
      if (!members) return refuse(`no group "${target}"`, `groups: ${names(Object.keys(state.inventory.groups))}`);
      return members.map((h) => ({ hostId: h, values: { ...hostValues(spec(h)), GROUP: target }, item: `host:${h}` }));
    }
    case 'haproxy.server':
    case 'haproxy.backend': {
      const [backend, server] = scope === 'haproxy.server' ? splitServer(target) : [target, undefined];
      const sites = of<HaproxySnapshot>('haproxy').flatMap(({ read, snapshot }) => {
        const b = snapshot.backends.find((x) => x.name === backend);
        if (!b || (server !== undefined && !b.servers.some((s) => s.name === server))) return [];
        const item = server === undefined ? backend : `${backend}/${server}`;
        return [{ hostId: read.key, values: { ...hostValues(spec(read.key)), BACKEND: backend, ...(server === undefined ? {} : { SERVER: server }) }, item: `haproxy:${read.key}:${item}` }];
      });
      if (sites.length > 0) return sites;
      const known = of<HaproxySnapshot>('haproxy').flatMap(({ snapshot }) => snapshot.backends.flatMap((b) => (server === undefined ? [b.name] : b.servers.map((s) => `${b.name}/${s.name}`))));
      return refuse(`no LB has ${scope === 'haproxy.server' ? 'server' : 'backend'} "${target}"`, `known: ${names([...new Set(known)])}`);
    }
    case 'pacemaker.resource':
    case 'pacemaker.node': {
      for (const { read, snapshot } of of<PacemakerSnapshot>('pacemaker')) {
        const host = liveHost(state, read);
        const base = { ...hostValues(spec(host)), CLUSTER: read.key };
        if (scope === 'pacemaker.node') {
          if (snapshot.nodes.some((n) => n.name === target)) return [{ hostId: host, values: { ...base, NODE: target }, item: `pacemaker:${read.key}:node:${target}` }];
        } else {
          const running = snapshot.resources.filter((r) => r.id === target || r.group === target || r.clone === target);
          if (running.length > 0 || snapshot.collections.some((c) => c.id === target)) {
            const node = running.flatMap((r) => r.nodes)[0] ?? '';
            return [{ hostId: host, values: { ...base, RESOURCE: target, NODE: node }, item: `pacemaker:${read.key}:resource:${target}` }];
          }
        }
      }
      const all = of<PacemakerSnapshot>('pacemaker').flatMap(({ snapshot }) =>
        scope === 'pacemaker.node' ? snapshot.nodes.map((n) => n.name) : [...snapshot.resources.map((r) => r.id), ...snapshot.collections.map((c) => c.id)],
      );
      return refuse(`no Pacemaker cluster has ${scope === 'pacemaker.node' ? 'node' : 'resource'} "${target}"`, `known: ${names([...new Set(all)])}`);
    }
    case 'etcd.member': {
      for (const { read, snapshot } of of<EtcdSnapshot>('etcd')) {
        const member = snapshot.members.find((m) => m.name === target);
        const host = liveHost(state, read);
        if (member) return [{ hostId: host, values: { ...hostValues(spec(host)), MEMBER: target, ENDPOINT: member.endpoint ?? '' }, item: `etcd:${read.key}:member:${target}` }];
      }
      const all = of<EtcdSnapshot>('etcd').flatMap(({ snapshot }) => snapshot.members.map((m) => m.name));
      return refuse(`no etcd member "${target}"`, `known: ${names(all)}`);
    }
  }
}

function splitServer(target: string): [string, string] {
  const at = target.indexOf('/');
  return at < 0 ? [target, ''] : [target.slice(0, at), target.slice(at + 1)];
}
