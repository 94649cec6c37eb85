// After a rebalance, the Cluster load pane marks the hosts it found outside
// the band that are inside it now. Pure.
import type { Plan } from '../../ops/engine/plan.js';
import type { RebalancePlanArgs } from '../../ops/rebalance/rebalance-plan.js';
import type { FleetLoad } from '../../store/fleet-load.js';

export function backInBand(plan: Plan | undefined, load: FleetLoad): string[] {
  if (plan?.action !== 'rebalance') return [];
  const forecast = (plan.args as unknown as RebalancePlanArgs).forecast;
  const outside = new Set(forecast.hosts.filter((h) => h.balanceBefore !== 'balanced').map((h) => h.id));
  return load.hosts.filter((h) => outside.has(h.id) && h.balance === 'balanced').map((h) => h.id);
}
