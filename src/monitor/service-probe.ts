// What the monitor needs to poll one service (a Pacemaker cluster, an LB, an
// etcd cluster, a broker): which hosts to ask, the command, the parser and
// what to notice. Built from the inventory's roles by service-plan.ts.
import type { Notice, ServiceKind } from '../store/services.js';

export type ServiceParse<S> =
  | { kind: 'snapshot'; snapshot: S; via?: string }
  | { kind: 'parse-error'; message: string; raw: string }
  | { kind: 'unsupported'; message: string };

export interface ServiceProbe<S = unknown> {
  kind: ServiceKind;
  key: string;
  /** Host ids to ask, in order: the first reachable one that answers wins. */
  candidates: string[];
  command(hostId: string): string;
  /** Polls no more often than this, whatever --interval says (a costly command, e.g. rabbitmqctl). */
  minIntervalMs?: number;
  parse(output: string, takenAt: number): ServiceParse<S>;
  alerts(snapshot: S): Notice[];
  events(previous: S | undefined, current: S): Notice[];
}
