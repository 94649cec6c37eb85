// What the host filter searches (the hosts pane's `/`, `baton exec --hosts`):
// id, address, groups and tags as text; fields state, group, host, address,
// user, os; any other key is a tag.
import type { FilterSpec } from './filter.js';
import { BADGE_LABEL, hostBadge } from './host-badge.js';
import type { HostState } from './types.js';

export const tagsText = (h: HostState): string =>
  Object.entries(h.spec.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** Text the filter's plain terms search for a host. */
export function hostSearchText(h: HostState): string {
  return `${h.spec.id} ${h.spec.address} ${h.spec.groups.join(' ')} ${tagsText(h)}`;
}

export function hostFilterSpec(ctx: { now: number; intervalMs: number }): FilterSpec<HostState> {
  return {
    text: hostSearchText,
    fields: {
      state: (h) => {
        const badge = hostBadge(h, ctx.now, ctx.intervalMs);
        return [badge, BADGE_LABEL[badge]];
      },
      group: (h) => h.spec.groups,
      host: (h) => h.spec.id,
      address: (h) => h.spec.address,
      user: (h) => h.spec.user,
      os: (h) => h.unsupported ?? h.metrics?.os,
    },
    other: (h, key) => h.spec.tags[key],
  };
}
