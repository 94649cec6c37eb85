// Alertmanager as the alerts probe reads it, before planning and again to
// verify: the `alerts` services of the inventory, the first whose host has
// the alertmanager role and whose Alertmanager answered wins (a cluster's
// members share their silences).
import type { AlertmanagerRole } from '../../inventory/types.js';
import type { ExternalAlert, Silence } from '../../probes/alertmanager-json.js';
import type { AlertsSnapshot } from '../../probes/alertmanager.js';
import { isServiceRead, readServices } from '../engine/read-service.js';
import type { LiveContext } from '../engine/registry.js';

export type AlertmanagerFacts = { hostId: string; url: string; alerts: ExternalAlert[]; silences: Silence[] } | { error: string };

export async function observeAlertmanager(ctx: LiveContext): Promise<AlertmanagerFacts> {
  const withRole = new Map(ctx.inventory.hosts.flatMap((h): [string, AlertmanagerRole][] => (h.roles.alertmanager ? [[h.id, h.roles.alertmanager]] : [])));
  if (withRole.size === 0) return { error: 'no host of the inventory has the alertmanager role' };
  const reads = (await readServices(ctx, 'alerts')).filter((r) => withRole.has(r.key));
  const why: string[] = [];
  for (const r of reads) {
    if (!isServiceRead(r)) {
      why.push(r.error);
      continue;
    }
    const am = (r.snapshot as AlertsSnapshot).alertmanager;
    if (am && !am.error) return { hostId: r.answeredBy, url: am.url, alerts: am.alerts, silences: am.silences };
    why.push(`${r.key}: ${am?.error ?? 'no Alertmanager reading'}`);
  }
  return { error: `no Alertmanager answered: ${why.join('; ') || 'no host to ask'}` };
}
