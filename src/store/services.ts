// Service state (Pacemaker, HAProxy, etcd, NGINX, queues): one entry per
// cluster or per host, as the service pollers write it. Snapshot types stay
// with their probes; the store only knows the envelope.
import type { Severity } from './types.js';

/** `alerts`: a host's Alertmanager and/or Prometheus, read for their alerts. */
export type ServiceKind = 'pacemaker' | 'haproxy' | 'etcd' | 'nginx' | 'queues' | 'alerts' | 'postgresql' | 'mysql';
export const SERVICE_KINDS: readonly ServiceKind[] = ['pacemaker', 'haproxy', 'etcd', 'nginx', 'queues', 'alerts', 'postgresql', 'mysql'];

export interface Notice {
  severity: Severity;
  message: string;
  /** A few words for the status strip, what and where (`web2 DOWN`, `node2 offline`); absent when the message says it best. */
  brief?: string;
  /** The host the notice is about (an etcd member's, a Pacemaker node's), when not the one that answered. */
  hostId?: string;
}

export interface ServiceState {
  kind: ServiceKind;
  /** Cluster name (pacemaker, etcd) or host id (haproxy, nginx, queues). */
  key: string;
  /** Hosts asked, in order; the first that answers wins. */
  candidates: string[];
  answeredBy?: string;
  /** How the data was reached, when the probe says (e.g. "socat unix socket"). */
  via?: string;
  /** The probe's parsed snapshot; its type belongs to the probe. */
  snapshot?: unknown;
  updatedAt?: number;
  /** The last failure: parse error with its raw snippet, unsupported version, or no node reachable. */
  error?: { message: string; raw?: string; at: number };
  alerts: Notice[];
}

export type ServicesState = Record<string, ServiceState>;

export const serviceId = (kind: ServiceKind, key: string): string => `${kind}:${key}`;

export type ServiceUpdate =
  | { kind: ServiceKind; key: string; type: 'snapshot'; at: number; answeredBy: string; via?: string; snapshot: unknown; alerts: Notice[] }
  | { kind: ServiceKind; key: string; type: 'error'; at: number; message: string; raw?: string };

export function applyServiceUpdate(services: ServicesState, u: ServiceUpdate): ServicesState {
  const id = serviceId(u.kind, u.key);
  const current = services[id];
  if (!current) return services;
  const next: ServiceState =
    u.type === 'snapshot'
      ? { ...current, answeredBy: u.answeredBy, via: u.via, snapshot: u.snapshot, updatedAt: u.at, error: undefined, alerts: u.alerts }
      : { ...current, error: { message: u.message, raw: u.raw, at: u.at } };
  return { ...services, [id]: next };
}
