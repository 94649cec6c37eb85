// Stores with configured services (HAProxy, Pacemaker, etcd, NGINX, queues)
// whose snapshots are parsed from the real probe fixtures, for the service panes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSpec } from '../../src/inventory/types.js';
import { planServices } from '../../src/monitor/service-plan.js';
import { parseEtcdProbe } from '../../src/probes/etcd.js';
import { haproxyAlerts } from '../../src/probes/haproxy-alerts.js';
import { parseHaproxyProbe } from '../../src/probes/haproxy.js';
import { parsePacemakerProbe } from '../../src/probes/pacemaker.js';
import type { ServiceKind, ServiceUpdate } from '../../src/store/services.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { parsed, probeOutput as queueProbeOutput, type State } from '../probes/queues/fixtures.js';
import type { BlockContext } from '../../src/ui/panes/service-block.js';
import type { Token } from '../../src/ui/theme/theme.js';
import type { Line } from '../../src/ui/widgets/styled-lines.js';
import { FLEET, INTERVAL, inventory, T0 } from './fixtures.js';

const fixture = (dir: string, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', dir, name), 'utf8');

export function haproxySnapshot(csv: string) {
  const r = parseHaproxyProbe(`@@baton:via socat unix socket\n${fixture('haproxy', 'show-info.txt')}\n${fixture('haproxy', csv)}`);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

const section = (name: string, stdout: string) => `@@baton:${name}\n${stdout}\n@@baton:stderr\n\n@@baton:exit 0\n`;

export function pacemakerSnapshot(name: string, constraints?: string) {
  const cib = constraints ? fixture('pacemaker', `${constraints}.xml`) : '<constraints/>';
  const r = parsePacemakerProbe(section('crm_mon', fixture('pacemaker', `${name}.xml`)) + section('constraints', cib));
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

export function etcdSnapshot(name: string) {
  const r = parseEtcdProbe(fixture('etcd', name));
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

export const queueSnapshot = (state: State, takenAt: number) => parsed(queueProbeOutput(state, 'json'), takenAt);

/** The lab's stub_status URL (inventories/lab.yaml). */
export const NGINX_STATUS_URL = 'http://127.0.3.6:8088/nginx-status';

/** The test fleet with NGINX on host `id`. */
export const withNginx = (id: string): HostSpec[] => FLEET.map((h) => (h.id === id ? { ...h, roles: { nginx: { statusUrl: NGINX_STATUS_URL } } } : h));

/**
 * NGINX as the monitor polls it, through its real probe plan: each captured
 * stub_status page (test/fixtures/nginx) read by the real parser, rates from
 * the page before. An update per page: a snapshot with its alerts, or the
 * error the poller reports (lab-stopped: curl's connection error).
 */
export function nginxUpdates(d: ServiceDecl, pages: ReadonlyArray<{ page: string; at: number }>): ServiceUpdate[] {
  const probe = planServices(inventory(withNginx(d.key))).find((p) => p.kind === 'nginx')!;
  return pages.map(({ page, at }) => {
    const r = probe.parse(`@@baton:via curl\n${fixture('nginx', page)}`, at);
    if (r.kind === 'snapshot') return snapshotUpdate(d, r.snapshot, at, { via: r.via, alerts: probe.alerts(r.snapshot) });
    return { kind: d.kind, key: d.key, type: 'error', at, message: `${d.key}: ${r.message}`, raw: r.kind === 'parse-error' ? r.raw : undefined };
  });
}

export interface ServiceDecl {
  kind: ServiceKind;
  key: string;
  candidates: string[];
}

/** The test fleet (or these hosts) with these services configured and no data yet. */
export function serviceStore(services: ServiceDecl[], hosts: HostSpec[] = FLEET): BatonStore {
  return createBatonStore(inventory(hosts), { now: () => T0, services });
}

export function snapshotUpdate(d: ServiceDecl, snapshot: unknown, at = T0, extra: Partial<Extract<ServiceUpdate, { type: 'snapshot' }>> = {}): ServiceUpdate {
  return { kind: d.kind, key: d.key, type: 'snapshot', at, answeredBy: d.candidates[0]!, snapshot, alerts: [], ...extra };
}

export function haproxyUpdate(d: ServiceDecl, csv: string, at = T0): ServiceUpdate {
  const snapshot = haproxySnapshot(csv);
  return snapshotUpdate(d, snapshot, at, { via: snapshot.via, alerts: haproxyAlerts(snapshot) });
}

/** The colour token of the first part of `lines` that reads `text` (a cell, a flag). */
export function tokenOf(lines: readonly Line[], text: string): Token | undefined {
  for (const line of lines) for (const p of line) if (p.text.trim() === text) return p.token ?? 'text';
  return undefined;
}

export const CTX: BlockContext = { now: T0, intervalMs: INTERVAL, width: 78 };
