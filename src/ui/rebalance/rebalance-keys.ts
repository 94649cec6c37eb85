// The Cluster load pane's own key (none is bound in the keymap), for the
// pane, its key line and `?`.
export const REBALANCE_KEY = 'R';

export const REBALANCE_KEY_HINTS: readonly string[] = [`${REBALANCE_KEY} rebalance`];

export const REBALANCE_KEY_HELP: readonly { key: string; help: string }[] = [
  { key: REBALANCE_KEY, help: 'Cluster load pane: rebalance: pick strategy, levers (haproxy, etcd, queues, ...), band, idle threshold, weight 0; the plan shows load per host before → after and every change' },
];
