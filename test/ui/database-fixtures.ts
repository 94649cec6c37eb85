// PostgreSQL (or MySQL/MariaDB) servers db1 and db2 of the set `main`, in a store fed through the
// monitor's real probe plan (parser, set tracker, alerts, events) with outputs
// captured from real servers (test/fixtures/postgresql).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSpec } from '../../src/inventory/types.js';
import { planServices } from '../../src/monitor/service-plan.js';
import type { ServiceUpdate } from '../../src/store/services.js';
import type { BatonStore } from '../../src/store/store.js';
import { FLEET, inventory, INTERVAL, T0 } from './fixtures.js';
import { serviceStore } from './service-fixtures.js';

type Kind = 'postgresql' | 'mysql';
const fixture = (kind: Kind, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', kind, `${name}.txt`), 'utf8');
const db = (kind: Kind, extra: { lagThreshold?: number }): HostSpec[] => [
  ...FLEET.slice(0, 2),
  ...['db1', 'db2'].map((id, i) => ({ ...FLEET[0]!, id, address: `10.0.0.4${i + 1}`, roles: { [kind]: { cluster: 'main', host: kind === 'mysql' ? '/run/mysqld/mysqld.sock' : '/run/postgresql', ...extra } } })),
];

/** Feeds captured outputs, one round per entry ([db1, db2] fixture names, null: no answer), through the real probes. */
export function databaseStore(rounds: Array<[string | null, string | null]>, kind: Kind = 'postgresql', extra: { lagThreshold?: number } = {}): BatonStore {
  const DB = db(kind, extra);
  const probes = planServices(inventory(DB)).filter((p) => p.kind === kind);
  const s = serviceStore(probes.map((p) => ({ kind: p.kind, key: p.key, candidates: p.candidates })), DB);
  const previous = new Map<string, unknown>();
  rounds.forEach((round, i) => {
    const at = T0 - (rounds.length - 1 - i) * INTERVAL;
    probes.forEach((probe, j) => {
      const name = round[j];
      const r = probe.parse(fixture(kind, name ?? 'down'), at);
      const update: ServiceUpdate =
        r.kind === 'snapshot'
          ? { kind: probe.kind, key: probe.key, type: 'snapshot', at, answeredBy: probe.candidates[0]!, snapshot: r.snapshot, alerts: probe.alerts(r.snapshot) }
          : { kind: probe.kind, key: probe.key, type: 'error', at, message: `${probe.candidates[0]}: ${r.message}` };
      const events = r.kind === 'snapshot' ? probe.events(previous.get(probe.key), r.snapshot).map((n) => ({ at, source: kind, severity: n.severity, message: `${probe.key}: ${n.message}`, hostId: n.hostId ?? probe.candidates[0] })) : [];
      if (r.kind === 'snapshot') previous.set(probe.key, r.snapshot);
      s.getState().applyServiceUpdates([update], events);
    });
  });
  return s;
}

