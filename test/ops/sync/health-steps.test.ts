// A sync set's service-state health check, as steps: the reload stamps its
// time and the check polls the probe (HAProxy); etcd polls its probe with no
// stamp; a target without the role the check reads refuses the plan.
import { describe, expect, it } from 'vitest';
import type { Inventory, SyncSet } from '../../../src/inventory/types.js';
import { hostLayout } from '../../../src/ops/sync/host-layout.js';
import { healthRoleMissing, hostSteps } from '../../../src/ops/sync/step-builders.js';

const set = (health: SyncSet['health']): SyncSet => ({ name: 'cfg', source: { kind: 'local', path: '/src/cfg' }, targets: 'all', path: '/etc/haproxy/haproxy.cfg', include: [], exclude: [], reload: 'systemctl reload haproxy', health, keep: 5, versions: '/etc/haproxy/.baton-sync/cfg' });
const inventory = { hosts: [{ id: 'lb2', roles: { haproxy: { tcp: '127.0.0.1:9999' } } }, { id: 'etcd1', roles: { etcd: {} } }, { id: 'web1', roles: {} }] } as unknown as Inventory;
const steps = (s: SyncSet, host: string) => hostSteps(s, { host, batch: 0, layout: hostLayout(s, 'run1'), entries: [{ rel: '', before: null, after: 'a'.repeat(64) }], meta: {}, timeoutMs: 1000, roles: inventory.hosts.find((h) => h.id === host)!.roles });

describe('health as a service state', () => {
  it('haproxy: the reload writes its time first; the check is a poll step reading HAProxy with that stamp', () => {
    const s = set({ haproxy: { backend: 'web', up: 'all' }, deadlineSeconds: 20 });
    const [reload, health] = steps(s, 'lb2').slice(-2);
    expect(reload!.spec).toEqual({ kind: 'command', command: "mkdir -p -- /etc/haproxy/.baton-sync/cfg && date +%s > /etc/haproxy/.baton-sync/cfg/.reloaded-at || exit $?\nsystemctl reload haproxy" });
    expect(health!.spec).toMatchObject({ kind: 'poll', until: { haproxy: { backend: 'web', up: 'all' }, reloadStamp: '/etc/haproxy/.baton-sync/cfg/.reloaded-at' }, deadlineSeconds: 20 });
    expect(health!.timeoutMs).toBeGreaterThan(20_000);
  });

  it('etcd: a poll step with no stamp, and the reload as written', () => {
    const s = set({ etcd: 'healthy', deadlineSeconds: 10 });
    const [reload, health] = steps(s, 'etcd1').slice(-2);
    expect(reload!.spec).toEqual({ kind: 'command', command: 'systemctl reload haproxy' });
    expect(health!.spec).toMatchObject({ kind: 'poll', until: { etcd: 'healthy' } });
  });

  it('a url or command check stays a command step', () => {
    expect(steps(set({ command: 'true', deadlineSeconds: 5 }), 'web1').at(-1)!.spec.kind).toBe('command');
  });

  it('a target without the role the check reads refuses the plan, naming it', () => {
    expect(healthRoleMissing(set({ haproxy: { up: 'all' }, deadlineSeconds: 5 }), inventory, ['lb2', 'web1', 'etcd1'])).toBe('cfg: health { haproxy } reads it on each target; no roles.haproxy on web1, etcd1');
    expect(healthRoleMissing(set({ etcd: 'healthy', deadlineSeconds: 5 }), inventory, ['etcd1'])).toBeUndefined();
    expect(healthRoleMissing(set({ url: 'http://x/', deadlineSeconds: 5 }), inventory, ['web1'])).toBeUndefined();
  });
});
