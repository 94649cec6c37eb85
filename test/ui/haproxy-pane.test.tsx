// The HAProxy pane on snapshots parsed from real `show stat` captures (its
// cursor: service-cursor.test.tsx).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { parseHaproxyProbe } from '../../src/probes/haproxy.js';
import { haproxyDetail } from '../../src/ui/panes/haproxy-detail-lines.js';
import { haproxyLines } from '../../src/ui/panes/haproxy-lines.js';
import { T0 } from './fixtures.js';
import { mount, screen, tick } from './render-app.js';
import { CTX, haproxySnapshot, haproxyUpdate, serviceStore, tokenOf, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const readFixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/haproxy', name), 'utf8');

const LB1: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const LB2: ServiceDecl = { kind: 'haproxy', key: 'lb02', candidates: ['lb02'] };

async function haView(csv: string, rows = 60, columns = 100) {
  const store = serviceStore([LB1, LB2]);
  store.getState().applyServiceUpdates([haproxyUpdate(LB1, csv), haproxyUpdate(LB2, 'show-stat-drain-maint.csv', T0 - 60_000)], []);
  const m = mount(store, { viewName: 'ha', size: { columns, rows } });
  await tick();
  return m;
}

describe('haproxy pane', () => {
  test('a block per LB: via, age (stale marked), alerts first, frontends, backends and servers', async () => {
    const m = await haView('show-stat-down.csv');
    const text = screen(m);
    expect(text).toContain('lb01 via socat unix socket · now');
    expect(text).toContain('lb02 via socat unix socket · 1m ago STALE');
    expect(text.indexOf('▲ app/web1 is DOWN')).toBeLessThan(text.indexOf('FRONTEND'));
    expect(text).toMatch(/FRONTEND\s+STATUS\s+SESS\/LIM\s+RATE/);
    expect(text).toMatch(/web\s+OPEN\s+0\/9983/);
    expect(text).toMatch(/web1\s+DOWN\s+0\s+0\s+L4CON/);
    expect(text).toMatch(/sorry\s+UP\s+0\s+0\s+L7OK\s+B/);
    expect(text).toMatch(/empty\s+DOWN/);
  });

  test('an active/passive pair goes side by side when the pane is wide enough', async () => {
    const m = await haView('show-stat-down.csv', 40, 260);
    expect(screen(m)).toMatch(/lb01 via socat unix socket · now\s+lb02 via socat unix socket · 1m ago STALE/);
    expect(screen(m)).toMatch(/web1\s+DOWN/);
    expect(screen(m)).toMatch(/web1\s+UP/);
    expect(screen(m)).not.toMatch(/HAProxy [─━]+ \d/);
  });

  test('wide enough, every server column: weight, max, limit, check time, last change, downtime', () => {
    const lines = haproxyLines(haproxySnapshot('show-stat-down.csv'), { ...CTX, width: 120 });
    const text = lines.map((l) => l.map((p) => p.text).join('')).join('\n');
    expect(text).toMatch(/BACKEND\/SERVER\s+STATUS\s+CUR\s+RATE\s+CHECK\s+B\s+W\s+MAX\s+LIM\s+CHKms\s+CHANGED\s+DOWN/);
    expect(text).toMatch(/web1\s+DOWN\s+0\s+0\s+L4CON\s+20\s+0\s+50\s+0\s+1s\s+12s/);
  });

  test('states in their colour tokens: DOWN crit, DRAIN and transitional warn, MAINT muted, UP ok', () => {
    const down = haproxyLines(haproxySnapshot('show-stat-down.csv'), CTX);
    expect(tokenOf(down, 'DOWN')).toBe('crit');
    expect(tokenOf(down, 'DRAIN')).toBe('warn');
    expect(tokenOf(down, 'MAINT')).toBe('muted');
    expect(tokenOf(down, 'UP')).toBe('ok');
    expect(tokenOf(haproxyLines(haproxySnapshot('show-stat-going-down.csv'), CTX), 'UP 1/2')).toBe('warn');
    expect(tokenOf(haproxyLines(haproxySnapshot('show-stat-coming-up.csv'), CTX), 'DOWN 1/2')).toBe('warn');
  });

  test('agent, paused and between-states statuses have their tokens; a status baton does not know is shown, not hidden', () => {
    const states = haproxyLines(haproxySnapshot('show-stat-states.csv'), CTX);
    expect(tokenOf(states, 'DOWN (agent)')).toBe('crit');
    expect(tokenOf(states, 'DRAIN (agent)')).toBe('warn');
    expect(tokenOf(states, 'PAUSED')).toBe('warn');
    expect(tokenOf(states, 'NOLB')).toBe('warn');
    expect(tokenOf(haproxyLines(haproxySnapshot('show-stat-states.csv'), { ...CTX, width: 120 }), 'MAINT (resolution)')).toBe('muted');
    const going = haproxyLines(haproxySnapshot('show-stat-states-going-down.csv'), CTX);
    expect(tokenOf(going, 'NOLB 2/3')).toBe('warn');
    expect(tokenOf(going, 'DRAIN 2/3')).toBe('warn');
    const csv = readFixture('show-stat-states.csv').replace(',DRAIN (agent),', ',SOFTSTOP,');
    const r = parseHaproxyProbe(`@@baton:via socat unix socket\n${csv}`);
    if (r.kind !== 'snapshot') throw new Error(r.message);
    const text = haproxyLines(r.snapshot, CTX).map((l) => l.map((p) => p.text).join('')).join('\n');
    expect(text).toContain('status "SOFTSTOP" not understood by baton: agents/a-drain');
  });

  test('the detail says who set a status, where its checks lead, and what the agent answered', () => {
    const lines = (snapshot: unknown, item: string) => haproxyDetail(snapshot, item).lines.map((l) => l.map((p) => p.text).join('')).join('\n');
    const states = haproxySnapshot('show-stat-states.csv');
    expect(lines(states, 'server:agents/a-down')).toMatch(/status\s+DOWN \(agent\) · set by its agent check/);
    expect(lines(states, 'server:agents/a-down')).toMatch(/agent\s+down · L7STS/);
    expect(lines(states, 'server:app/follower')).toMatch(/status\s+MAINT \(via app\/tracked\) · follows app\/tracked/);
    expect(lines(states, 'server:app/named')).toMatch(/MAINT \(resolution\) · its address does not resolve/);
    expect(lines(haproxySnapshot('show-stat-states-going-down.csv'), 'server:app/web2')).toMatch(/UP 2\/3 · 2 more failed checks and DOWN \(fall 3\)/);
    expect(lines(haproxySnapshot('show-stat-coming-up.csv'), 'server:app/web1')).toMatch(/DOWN 1\/2 · 1 of 2 checks passed toward UP/);
    expect(lines(states, 'backend:zero')).toMatch(/servers\s+1\/1 serving/);
  });
});
