// The Pacemaker pane on snapshots parsed from real crm_mon 2.1.5 XML.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { pacemakerLines } from '../../src/ui/panes/pacemaker-lines.js';
import { mount, screen, tick } from './render-app.js';
import { CTX, pacemakerSnapshot, serviceStore, snapshotUpdate, tokenOf, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const HA: ServiceDecl = { kind: 'pacemaker', key: 'ha-web', candidates: ['db01', 'db02'] };
const text = (lines: ReturnType<typeof pacemakerLines>) => lines.map((l) => l.map((p) => p.text).join('')).join('\n');

describe('pacemaker pane', () => {
  test('summary, nodes, resources with roles and fail counts, which node answered', async () => {
    const store = serviceStore([HA]);
    store.getState().applyServiceUpdates([snapshotUpdate(HA, pacemakerSnapshot('healthy'))], []);
    const m = mount(store, { viewName: 'ha', size: { columns: 100, rows: 40 } });
    await tick();
    const s = screen(m);
    expect(s).toContain('ha-web @db01 · now');
    expect(s).toMatch(/quorum yes DC node1 corosync/);
    expect(s).toMatch(/maintenance off stonith/);
    expect(s).toMatch(/node1 \(DC\)\s+online\s+\d/);
    expect(s).toMatch(/web-vip\s+Started\s+node\d\s+0\/1/);
    expect(s).toMatch(/ping\s+Started\s+node1\s+0\/∞/);
  });

  test('offline node, lost quorum and failed actions in crit; standby in warn', () => {
    const failed = pacemakerLines(pacemakerSnapshot('node-failed'), CTX);
    expect(tokenOf(failed, 'offline')).toBe('crit');
    expect(tokenOf(pacemakerLines(pacemakerSnapshot('node-standby'), CTX), 'standby')).toBe('warn');
    expect(tokenOf(pacemakerLines(pacemakerSnapshot('quorum-lost'), CTX), 'NO')).toBe('crit');
    const res = pacemakerLines(pacemakerSnapshot('resource-failed'), CTX);
    expect(text(res)).toMatch(/FAILED ACTIONS\n web-server_monitor_10000 on node1\n {3}\S+ \S+ /);
    expect(tokenOf(res, 'web-server_monitor_10000 on node1')).toBe('crit');
    expect(tokenOf(res, '1/1')).toBe('crit');
    const healthy = pacemakerSnapshot('healthy');
    const broken = { ...healthy, resources: healthy.resources.map((r, i) => (i === 0 ? { ...r, failed: true } : r)) };
    expect(tokenOf(pacemakerLines(broken, CTX), `✖${healthy.resources[0]!.role}`)).toBe('crit');
  });

  test('bans and cli-prefer/cli-ban constraints, each once', () => {
    const moved = text(pacemakerLines(pacemakerSnapshot('resource-moved', 'resource-moved-constraints'), CTX));
    expect(moved).toContain('BANS / MOVES\n web-group moved to node3 role Started (cli-prefer-web-group)');
    const banned = text(pacemakerLines(pacemakerSnapshot('resource-banned'), CTX));
    expect(banned.match(/web-group banned from node1/g)).toHaveLength(1);
  });
});
