// The actions slice: per-host progress, ETA from the pace so far, and a
// bounded list of finished actions.
import { describe, expect, it } from 'vitest';
import { actionCounts, actionEtaMs, createActionsStore, MAX_RECENT_ACTIONS } from '../../src/store/actions.js';

describe('actions store', () => {
  it('tracks hosts and estimates the rest from the pace so far', () => {
    const store = createActionsStore();
    store.getState().begin({ id: 'a', action: 'exec', title: 'uptime', hosts: ['h1', 'h2', 'h3', 'h4'], at: 0 });
    store.getState().host('a', 'h1', { state: 'ok', endedAt: 1000 });
    const a = store.getState().actions[0]!;
    expect(actionCounts(a)).toEqual({ done: 1, total: 4 });
    expect(actionEtaMs(a, 1000)).toBe(3000);
    store.getState().setState('a', 'failed', 2000, 'h2 failed');
    expect(store.getState().actions[0]).toMatchObject({ state: 'failed', endedAt: 2000, detail: 'h2 failed' });
  });

  it('keeps running actions and at most MAX_RECENT_ACTIONS finished ones', () => {
    const store = createActionsStore();
    store.getState().begin({ id: 'running', action: 'exec', title: '', hosts: [], at: 0 });
    for (let i = 0; i < MAX_RECENT_ACTIONS + 5; i++) {
      store.getState().begin({ id: `done${i}`, action: 'exec', title: '', hosts: [], at: i });
      store.getState().setState(`done${i}`, 'ok', i);
    }
    const ids = store.getState().actions.map((a) => a.id);
    expect(ids).toContain('running');
    expect(ids.filter((id) => id.startsWith('done'))).toHaveLength(MAX_RECENT_ACTIONS);
    expect(ids[0]).toBe(`done${MAX_RECENT_ACTIONS + 4}`);
  });
});
