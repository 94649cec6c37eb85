// The rebalance dialog's form (pure): the inventory's defaults, each key's
// change, the options it plans with; and which hosts count as back in band.
import { describe, expect, it } from 'vitest';
import type { HostSpec } from '../../src/inventory/types.js';
import type { Plan } from '../../src/ops/engine/plan.js';
import { backInBand } from '../../src/ui/rebalance/back-in-band.js';
import { change, formOptions, initialForm, moveField, toggleLever } from '../../src/ui/rebalance/rebalance-form.js';

describe('rebalance form', () => {
  it('starts from the inventory\'s defaults, else resource_based ±10 with every lever', () => {
    const lb = { roles: { haproxy: { socket: '/run/haproxy.sock' } } } as unknown as HostSpec;
    expect(initialForm({ hosts: [lb] })).toMatchObject({ strategy: 'resource_based', levers: ['haproxy'], band: 10 });
    expect(initialForm({ hosts: [], rebalance: { strategy: 'round_robin', band: 5 } })).toMatchObject({ strategy: 'round_robin', band: 5, levers: [] });
  });

  it('cycles strategies, bounds the band to 1..50, toggles a lever, and plans with the fields', () => {
    let f = initialForm({ hosts: [] });
    f = change(f, -1);
    expect(f.strategy).toBe('weighted_random');
    f = moveField(moveField(f, 1), 1);
    expect(f.field).toBe(2);
    for (let i = 0; i < 60; i++) f = change(f, 1);
    expect(f.band).toBe(50);
    f = toggleLever(moveField(f, -1));
    expect(f.levers).toEqual(['haproxy']);
    f = toggleLever(change(f, 1));
    expect(f.levers).toEqual(['haproxy', 'etcd']);
    f = toggleLever(change(f, 1));
    expect(f.levers).toEqual(['haproxy', 'etcd', 'queues']);
    f = toggleLever(change(f, 1));
    expect(f.levers).toEqual(['haproxy', 'etcd', 'queues', 'pacemaker']);
    f = toggleLever(change(f, 1));
    expect(f.levers).toEqual(['haproxy', 'etcd', 'queues', 'pacemaker', 'pacemaker-balanced']);
    f = toggleLever(change(f, 1));
    expect(f.levers).toEqual(['haproxy', 'etcd', 'queues', 'pacemaker', 'pacemaker-balanced', 'pacemaker-stale']);
    expect(formOptions(toggleLever(change(f, 1)))).toEqual({ strategy: 'weighted_random', lever: ['etcd', 'queues', 'pacemaker', 'pacemaker-balanced', 'pacemaker-stale'], band: '50', idle: '60' });
  });

  it('steps the idle threshold (1 s up to 10 s, 5 s above) and toggles weight 0, which plans with --allow-zero --max-step 100', () => {
    let f = moveField(moveField(moveField(initialForm({ hosts: [] }), 1), 1), 1);
    expect(f).toMatchObject({ field: 3, idleSeconds: 60, allowZero: false });
    for (let i = 0; i < 10; i++) f = change(f, -1);
    expect(f.idleSeconds).toBe(10);
    for (let i = 0; i < 20; i++) f = change(f, -1);
    expect(f.idleSeconds).toBe(1);
    f = change(change(f, 1), 1);
    expect(f.idleSeconds).toBe(3);
    expect(formOptions(f)).toEqual({ strategy: 'resource_based', lever: [], band: '10', idle: '3' });
    f = change(moveField(moveField(f, 1), 1), 1);
    expect(f).toMatchObject({ field: 4, allowZero: true });
    expect(formOptions(f)).toMatchObject({ allowZero: true, maxStep: '100' });
    expect(change(f, -1).allowZero).toBe(false);
  });

  it('marks only hosts the plan had outside the band that are inside it now', () => {
    const plan = { action: 'rebalance', args: { forecast: { hosts: [{ id: 'a', balanceBefore: 'over' }, { id: 'b', balanceBefore: 'balanced' }, { id: 'c', balanceBefore: 'under' }] } } } as unknown as Plan;
    const load = { target: 40, band: 10, overloaded: [], underloaded: [], hosts: [{ id: 'a', load: 45, capacity: 1, balance: 'balanced' as const }, { id: 'b', load: 40, capacity: 1, balance: 'balanced' as const }, { id: 'c', load: 20, capacity: 1, balance: 'under' as const }] };
    expect(backInBand(plan, load)).toEqual(['a']);
    expect(backInBand(undefined, load)).toEqual([]);
  });
});
