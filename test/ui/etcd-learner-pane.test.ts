// The etcd pane and detail with a learner, on snapshots parsed from a real
// 4-member etcd 3.4 (three voters and a learner): the learner's refused
// health read is no fault, and quorum lost shows no leader.
import { describe, expect, test } from 'vitest';
import { etcdDetail } from '../../src/ui/panes/etcd-detail-lines.js';
import { etcdLines } from '../../src/ui/panes/etcd-lines.js';
import type { Line } from '../../src/ui/widgets/styled-lines.js';
import { CTX, etcdSnapshot, tokenOf } from './service-fixtures.js';

const text = (lines: readonly Line[]) => lines.map((l) => l.map((p) => p.text).join('')).join('\n');
const LEARNER = 'member:15151918990401044970';

describe('etcd pane with a learner', () => {
  test('a healthy learner is shown as a learner in ok, with no error line', () => {
    const lines = etcdLines(etcdSnapshot('learner-healthy.txt'), CTX);
    expect(text(lines)).toMatch(/etcd4\s+learner\s+2\s+0/);
    expect(tokenOf(lines, 'learner')).toBe('ok');
    expect(tokenOf(lines, 'etcd4')).toBe('text');
    expect(text(lines)).not.toMatch(/etcd4:|endpoint health/);
  });

  test('its detail keeps the reason the health read was refused', () => {
    const d = text(etcdDetail(etcdSnapshot('learner-healthy.txt'), LEARNER).lines);
    expect(d).toMatch(/state\s+learner \(health: etcdserver: rpc not supported for learner \(a learner serves no linearizable read until it is promoted\)\)/);
    expect(d).toMatch(/errors\s+none/);
  });

  test('quorum lost: no leader, although the learner still names the old one', () => {
    const lines = etcdLines(etcdSnapshot('learner-quorum-lost.txt'), CTX);
    expect(tokenOf(lines, 'NONE')).toBe('crit');
    expect(text(lines)).not.toContain('★');
    expect(text(lines)).toContain('etcd3: etcdserver: no leader');
  });
});
