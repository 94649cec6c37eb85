// The Pacemaker pane on snapshots parsed from real crm_mon 2.1.5 XML.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { pacemakerDetail } from '../../src/ui/panes/pacemaker-detail-lines.js';
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

  test('a ban with a lifetime: one line, with its expiry, in the pane and the detail', () => {
    const s = pacemakerSnapshot('ban-lifetime', 'ban-lifetime-constraints');
    const expires = s.constraints.kind === 'read' ? s.constraints.list[0]!.expires : null;
    const pane = text(pacemakerLines(s, CTX));
    expect(pane.match(/logger banned from/g)).toHaveLength(1);
    expect(pane).toContain(`logger banned from nœud-é1 role Started until ${expires} (cli-ban-logger-on-nœud-é1)`);
    for (const item of ['resource:logger', 'node:nœud-é1', 'cluster']) {
      expect(text(pacemakerDetail(s, item).lines).match(/logger banned from/g)).toHaveLength(1);
    }
  });

  test('a failed clone instance shows its fail count on its own row only', () => {
    const lines = pacemakerLines(pacemakerSnapshot('clone-failures'), { ...CTX, width: 100 });
    const rows = (id: string) => text(lines).split('\n').filter((l) => l.startsWith(` ${id} `)).map((l) => l.replace(/\s+/g, ' ').trim());
    expect(rows('ping')).toEqual(['ping Started nœud-é1 0/1 yes ping-clone', 'ping Started node3 0/1 yes ping-clone', 'ping Stopped – 1/1 yes ping-clone']);
    expect(rows('db')).toEqual(['db Promoted nœud-é1 0/∞ yes db-clone', 'db Unpromoted nœud-é2 0/∞ yes db-clone', 'db Unpromoted node3 1/∞ yes db-clone']);
    expect(rows('stack-a').map((r) => r.split(' ').slice(2, 4).join(' '))).toEqual(['nœud-é1 1/∞', 'nœud-é2 0/∞', 'node3 0/∞']);
    expect(text(pacemakerDetail(pacemakerSnapshot('clone-failures'), 'resource:ping').lines)).toMatch(/fail count\s+1 on nœud-é2\n/);
  });

  test('disabled, orphaned and ignored-failure resources read as crm_mon shows them; an ignored failure in warn', () => {
    const lines = pacemakerLines(pacemakerSnapshot('disabled-orphan-ignored'), CTX);
    expect(tokenOf(lines, 'Stopped (disabled)')).toBe('muted');
    expect(tokenOf(lines, 'ORPHANED Started')).toBe('warn');
    expect(tokenOf(lines, 'Started (failure ignored)')).toBe('warn');
    expect(tokenOf(lines, 'logger_monitor_10000 on nœud-é1 (failure ignored)')).toBe('warn');
    const detail = text(pacemakerDetail(pacemakerSnapshot('disabled-orphan-ignored'), 'cluster').lines);
    expect(detail).toMatch(/idle\s+Stopped \(disabled\)/);
    expect(detail).toMatch(/gone\s+ORPHANED Started on nœud-é2/);
    expect(detail).toMatch(/logger\s+Started \(failure ignored\) on nœud-é1/);
  });

  test('names and exit reasons as crm_mon -1 prints them', () => {
    const pane = text(pacemakerLines(pacemakerSnapshot('unicode-failures'), CTX));
    expect(pane).toContain(' vip-ü_monitor_10000 on node3');
    expect(pane).toContain(`error: Can't add "127.0.3.100/32" to lo: <EADDRINUSE> & 'retry' later`);
    expect(pane).not.toMatch(/&#x|&apos;|&quot;/);
  });
});
