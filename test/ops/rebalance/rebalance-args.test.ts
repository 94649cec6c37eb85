// `baton act rebalance` options: usage errors (exit 1) and the defaults'
// order: arguments, then the inventory's rebalance:, then the built-in ones.
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { parseRebalanceArgs, resolveArgs } from '../../../src/ops/rebalance/rebalance-args.js';

const inventory = (rebalance?: Inventory['rebalance']): Inventory => ({ name: 't', format: 'baton', hosts: [], groups: {}, ...(rebalance ? { rebalance } : {}) });

describe('rebalance arguments', () => {
  it('refuses an unknown strategy or lever, a band out of range and stray arguments', () => {
    expect(() => parseRebalanceArgs([], { strategy: 'fastest' })).toThrow(/--strategy must be one of resource_based, least_loaded, round_robin, weighted_random/);
    expect(() => parseRebalanceArgs([], { lever: ['haproxy', 'dns'] })).toThrow(/--lever dns: levers are haproxy, etcd, queues, pacemaker, pacemaker-balanced, pacemaker-stale/);
    expect(() => parseRebalanceArgs([], { idle: '-1' })).toThrow(/--idle must be a number from 0 to 86400/);
    expect(() => parseRebalanceArgs([], { band: '0' })).toThrow(/--band must be a number from 1 to 50/);
    expect(() => parseRebalanceArgs(['web2'], {})).toThrow(/takes no arguments/);
  });

  it('takes what is given, then the inventory, then the built-in defaults', () => {
    const given = parseRebalanceArgs([], { strategy: 'round_robin', lever: ['haproxy'], band: '15', maxStep: '20', settle: '2', seed: '7', idle: '5', allowZero: true });
    expect(resolveArgs(given, inventory({ strategy: 'least_loaded', band: 5 }))).toEqual({ strategy: 'round_robin', levers: ['haproxy'], leversNamed: true, band: 15, maxStepPercent: 20, settleSeconds: 2, seed: 7, idleSeconds: 5, staleHours: 24, allowZero: true, timeoutMs: 15_000 });
    expect(resolveArgs(parseRebalanceArgs([], {}), inventory({ strategy: 'least_loaded', band: 5 }))).toMatchObject({ strategy: 'least_loaded', band: 5, maxStepPercent: 50, settleSeconds: 10, idleSeconds: 60, allowZero: false });
    // No --lever: every lever the inventory has hosts for (none here).
    expect(resolveArgs(parseRebalanceArgs([], {}), inventory())).toMatchObject({ strategy: 'resource_based', levers: [], leversNamed: false, band: 10 });
  });
});
