// The Databases pane on states captured from a real PostgreSQL 15 primary
// and standby, read through the monitor's real probe plan (parser, set
// tracker, alerts, events): one block per replication set, lag as a number
// and a sparkline, the set's alerts, at 80x24.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import type { BatonStore } from '../../src/store/store.js';
import { databaseStore as store } from './database-fixtures.js';
import { fleetStore } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

async function view(s: BatonStore) {
  const m = mount(s, { viewName: 'databases', size: { columns: 80, rows: 24 } });
  await tick();
  return m;
}

describe('databases pane', () => {
  test('a streaming set: one primary and its standby, lag 0 with a sparkline, no alert; fits 80x24', async () => {
    const s = screen(await view(store([['streaming-primary', 'streaming-standby']])));
    expect(s).toMatch(/[─━] Databases [─━]/);
    expect(s).toContain('main · 1 primary, 1 standby · now');
    expect(s).toMatch(/db1\s+primary tl 1 → db2 streaming/);
    expect(s).toMatch(/db2\s+standby streaming\s+lag\s+0\.0 s ▁/);
    expect(s).not.toContain('▲');
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  test('paused replay: the lag number, paused, and the alert', async () => {
    const s = screen(await view(store([['streaming-primary', 'streaming-standby'], ['paused-primary', 'paused-standby']])));
    expect(s).toMatch(/db2\s+standby streaming\s+lag\s+4\.\d s ▁█\s+paused/);
    expect(s).toContain('▲ db2: WAL replay is paused (pg_wal_replay_resume() resumes it)');
  });

  test('a promoted standby while the old primary still answers: two primaries, split brain, and the events say so', async () => {
    const st = store([['streaming-primary', 'streaming-standby'], ['promoted-old-primary', 'promoted-standby']]);
    const s = screen(await view(st));
    expect(s).toContain('main · 2 primary, 0 standby');
    expect(s).toContain('▲ split brain in main: db1 and db2 are all primary');
    expect(s).toMatch(/db2\s+primary tl 2/);
    const events = st.getState().events.map((e) => e.message);
    expect(events).toContain('main/db2: promoted: now primary on timeline 2');
    expect(events.some((e) => /split brain in main/.test(e))).toBe(true);
  });

  test('the old primary stopped after the promotion: one primary, the stopped one shows why', async () => {
    const s = screen(await view(store([['streaming-primary', 'streaming-standby'], [null, 'promoted-standby']])));
    expect(s).toContain('main · 1 primary, 0 standby');
    expect(s).toMatch(/db1\s+✖ connection to server on socket/);
    expect(s).not.toContain('split brain');
  });
});

describe('databases pane, compact (the incident view)', () => {
  test('each set by its header and alerts, no server lines; no databases in the inventory, no pane', async () => {
    const m = mount(store([['streaming-primary', 'streaming-standby'], ['paused-primary', 'paused-standby']]), { size: { columns: 160, rows: 45 } });
    await tick();
    const s = screen(m);
    expect(m.app.ui.getState().view).toBe('incident');
    expect(s).toMatch(/[─━] Databases [─━]/);
    expect(s).toContain('main · 1 primary, 1 standby');
    expect(s).toContain('▲ db2: WAL replay is paused');
    expect(s).not.toMatch(/db2\s+standby streaming/);
    cleanup();
    const plain = mount(fleetStore(), { size: { columns: 160, rows: 45 } });
    await tick();
    expect(screen(plain)).not.toMatch(/[─━] Databases [─━]/);
  });

  test('a streaming set says so in one line', async () => {
    const m = mount(store([['streaming-primary', 'streaming-standby']]), { size: { columns: 160, rows: 45 } });
    await tick();
    expect(screen(m)).toMatch(/main · 1 primary, 1 standby[^\n]*\n[^\n]*✓ no alerts/);
  });
});

describe('postgresql detail', () => {
  test('Enter on a server opens its detail: receiver, replay, lag, paused', async () => {
    const m = await view(store([['streaming-primary', 'streaming-standby'], ['paused-primary', 'paused-standby']]));
    await press(m, 'G', KEYS.enter);
    const s = screen(m);
    expect(s).toContain('Databases main/db2 · standby · set main');
    expect(s).toMatch(/receiver\s+streaming from 127\.0\.17\.1:5432 slot db2/);
    expect(s).toMatch(/replay lag\s+4\.\d s replay paused/);
  });
});

describe('databases pane: MariaDB', () => {
  test('a source and its replica, then an SQL error: threads, lag, the error', async () => {
    const s = screen(await view(store([['not-configured', 'replica-streaming']], 'mysql')));
    expect(s).toContain('main (MySQL) · 1 primary, 1 replica · now');
    expect(s).toMatch(/db1\s+primary writable gtid/);
    expect(s).toMatch(/db2\s+replica io Yes sql Yes\s+lag\s+0\.0 s/);
    const broken = screen(await view(store([['not-configured', 'replica-streaming'], ['not-configured', 'replica-sql-error']], 'mysql')));
    expect(broken).toMatch(/db2\s+replica io Yes sql No\s+lag\s+–/);
    expect(broken).toContain("▲ db2: replication: SQL thread stopped (error 1062:");
  });

  test('a promoted replica while the old source is writable: split brain', async () => {
    const s = screen(await view(store([['not-configured', 'replica-streaming'], ['not-configured', 'promoted']], 'mysql')));
    expect(s).toContain('main (MySQL) · 2 primary, 0 replica');
    expect(s).toContain('▲ split brain in main: db1 and db2 are all primary');
  });
});

describe('lagThreshold', () => {
  test('the role\'s own threshold raises the lag alert (4 s behind, threshold 2 s)', async () => {
    const s = screen(await view(store([['streaming-primary', 'streaming-standby'], ['paused-primary', 'paused-standby']], 'postgresql', { lagThreshold: 2 })));
    expect(s).toMatch(/▲ db2: replay lag 4\.\d s \(over 2\.0 s\)/);
  });
});
