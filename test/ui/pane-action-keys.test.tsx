// The built-in failover actions by key on the pane whose items they act on:
// the key line and ? list them, and a key takes what the cursor is on as
// its target (a server as BACKEND/SERVER, a resource, a node, a member by
// name), never a line about something else.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { customTarget, paneActionForKey, paneActions, PANE_ACTION_KEYS } from '../../src/ui/actions/pane-action-keys.js';
import { DEFAULT_KEYMAP } from '../../src/ui/keymap/keymap.js';
import { T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { etcdSnapshot, haproxyUpdate, serviceStore, snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const LB1: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd', candidates: ['db01'] };
const registry = builtinActions();
const ui = (pane: string, stop: string) => ({ cursorHost: undefined, cursors: { [pane]: { id: stop, index: 0, top: 0 } } });

describe('built-in actions by key', () => {
  test('none of their keys is bound in the keymap', () => {
    for (const key of Object.values(PANE_ACTION_KEYS)) expect(DEFAULT_KEYMAP.byKey.get(key), key).toBeUndefined();
    for (const name of Object.keys(PANE_ACTION_KEYS)) expect(registry.get(name), name).toBeDefined();
  });

  test('each pane offers the actions of its items; the cursor gives the target', () => {
    const actions = registry.list();
    expect(paneActions(actions, 'haproxy').map((a) => a.name)).toEqual(['haproxy.drain', 'haproxy.maint', 'haproxy.ready']);
    expect(paneActions(actions, 'hosts')).toEqual([]);
    const drain = paneActionForKey(actions, 'haproxy', 'd')!;
    const state = serviceStore([LB1]).getState();
    const on = (stop: string) => customTarget(drain, 'haproxy', ui('haproxy', stop), state, () => 'all', (id) => id);
    expect(on('haproxy:lb01\u0000server:app/web2\u00000')).toEqual({ target: 'app/web2' });
    expect(on('haproxy:lb01\u0000backend:app\u00000')).toEqual({ problem: 'haproxy.drain runs on a server: put the cursor on one' });
    expect(on('haproxy:lb01\u0000\u00000')).toMatchObject({ problem: expect.any(String) });
    const clear = paneActionForKey(actions, 'pacemaker', 'C')!;
    expect(customTarget(clear, 'pacemaker', ui('pacemaker', 'pacemaker:prod\u0000resource:web-group\u00000'), state, () => 'all', (id) => id)).toEqual({ target: 'web-group' });
  });

  test('an etcd member is named by its name, though the pane knows it by id', async () => {
    const store = serviceStore([ETCD]);
    store.getState().applyServiceUpdates([snapshotUpdate(ETCD, etcdSnapshot('healthy.txt'), T0)], []);
    const snap = store.getState().services['etcd:etcd']!.snapshot as { members: { id: string; name: string }[] };
    const member = snap.members[1]!;
    const moveLeader = paneActionForKey(registry.list(), 'etcd', 'L')!;
    expect(customTarget(moveLeader, 'etcd', ui('etcd', `etcd:etcd\u0000member:${member.id}\u00000`), store.getState(), () => 'all', (id) => id)).toEqual({ target: member.name });
  });

  test('the HAProxy pane lists d drain, m maint, u ready in its key line and ? lists them all', async () => {
    const store = serviceStore([LB1]);
    store.getState().applyServiceUpdates([haproxyUpdate(LB1, 'show-stat-down.csv')], []);
    const actions = new ActionService({ store, registry, transports: new Map(), locks: () => { throw new Error('no locks in this test'); }, journalDir: '/nonexistent' });
    const m = mount(store, { viewName: 'ha', actions, size: { columns: 160, rows: 40 } });
    await tick();
    // Focus the HAProxy pane (Tab until its keys show).
    for (let i = 0; i < 4 && !/d drain {2}m maint {2}u ready/.test(screen(m)); i++) await press(m, KEYS.tab);
    expect(screen(m)).toMatch(/d drain {2}m maint {2}u ready/);
    await press(m, '?');
    const help = screen(m);
    expect(help).toContain('Action keys');
    expect(help).toMatch(/d\s+haproxy\.drain/);
    expect(help).toMatch(/L\s+etcd\.move-leader/);
  });
});
