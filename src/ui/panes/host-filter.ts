// What `/` searches in the hosts pane: id, address, groups and tags as text;
// fields state, group, host, address, user, os; any other key is a tag.
import type { HostState } from '../../store/types.js';
import type { FilterSpec } from '../filter.js';
import { BADGE_LABEL, hostBadge } from '../host-badge.js';
import { hostSearchText, type HostRowContext } from './host-columns.js';

export function hostFilterSpec(ctx: Pick<HostRowContext, 'now' | 'intervalMs'>): FilterSpec<HostState> {
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
