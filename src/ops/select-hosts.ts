// Which hosts an action targets: the console's host filter syntax
// (`group=web`, `env=prod`, `!db`, regexes), or `all`.
import { compileFilter } from '../store/filter.js';
import { hostFilterSpec } from '../store/host-filter.js';
import { hostList } from '../store/selectors.js';
import type { BatonState } from '../store/types.js';
import { UsageError } from './engine/registry.js';

export const ALL_HOSTS = 'all';

export function selectHosts(state: Pick<BatonState, 'hosts' | 'order'>, filter: string, now: number, intervalMs = 2000): string[] {
  const hosts = hostList(state);
  if (filter.trim() === ALL_HOSTS) return hosts.map((h) => h.spec.id);
  const compiled = compileFilter(filter, hostFilterSpec({ now, intervalMs }));
  if (compiled.error) throw new UsageError(`host filter "${filter}": ${compiled.error}`);
  return hosts.filter((h) => compiled.matches(h)).map((h) => h.spec.id);
}

/** True when matching needs live connection state (`state=up`), so every host is connected first. */
export function filterNeedsLiveState(filter: string): boolean {
  return /(^|\s)!?state=/i.test(filter);
}
