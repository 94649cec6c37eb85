// The etcd pane on snapshots parsed from real etcdctl output.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { etcdLines } from '../../src/ui/panes/etcd-lines.js';
import { mount, screen, tick } from './render-app.js';
import { CTX, etcdSnapshot, serviceStore, snapshotUpdate, tokenOf, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd-main', candidates: ['db01', 'db02'] };
const text = (lines: ReturnType<typeof etcdLines>) => lines.map((l) => l.map((p) => p.text).join('')).join('\n');

describe('etcd pane', () => {
  test('quorum, leader, members with raft term, gap and db size; which member answered', async () => {
    const store = serviceStore([ETCD]);
    store.getState().applyServiceUpdates([snapshotUpdate(ETCD, etcdSnapshot('healthy.txt'), undefined, { answeredBy: 'db02' })], []);
    const m = mount(store, { viewName: 'ha', size: { columns: 100, rows: 40 } });
    await tick();
    const s = screen(m);
    expect(s).toContain('etcd-main @db02 · now');
    expect(s).toContain('quorum 3/3 up, need 2 · tolerates 1 down');
    expect(s).toMatch(/leader etcd1 term 2/);
    expect(s).toMatch(/★ etcd1\s+ok\s+2\s+0/);
    expect(text(etcdLines(etcdSnapshot('healthy.txt'), CTX))).toMatch(/★ etcd1\s+ok\s+2\s+0\s+24K\/\S+/);
  });

  test('wide: index, applied, version, learner columns', () => {
    const wide = text(etcdLines(etcdSnapshot('healthy.txt'), { ...CTX, width: 120 }));
    expect(wide).toMatch(/L MEMBER\s+STATE\s+TERM\s+GAP\s+DB\/USE\s+LRN\s+INDEX\s+APPLIED\s+VER/);
    expect(wide).toMatch(/etcd3\s+ok\s+2\s+0\s+20K\/\S+\s+\d+\s+\d+\s+3\.\d/);
  });

  test('a member down, no leader, lost quorum and alarms show in crit; health unknown while the leader is gone', () => {
    const down = etcdLines(etcdSnapshot('member-down.txt'), CTX);
    expect(tokenOf(down, 'DOWN')).toBe('crit');
    const killed = etcdLines(etcdSnapshot('leader-killed.txt'), CTX);
    expect(text(killed)).toMatch(/etcd2\s+up\s+2/);
    expect(tokenOf(killed, 'up')).toBe('unknown');
    expect(text(killed)).toContain('leader etcd1 term 2 DOWN: the others have yet to elect a new one');
    expect(tokenOf(killed, 'etcd1')).toBe('crit');
    const lost = etcdLines(etcdSnapshot('quorum-lost.txt'), CTX);
    expect(tokenOf(lost, 'NONE')).toBe('crit');
    expect(tokenOf(lost, '1/3 up, need 2')).toBe('crit');
    expect(text(lost)).toContain('etcd3: etcdserver: no leader');
    const nospace = etcdLines(etcdSnapshot('nospace.txt'), CTX);
    expect(text(nospace)).toMatch(/ALARM NOSPACE on etcd\d/);
    expect(tokenOf(nospace, text(nospace).match(/ALARM NOSPACE on etcd\d/)![0])).toBe('crit');
  });
});
