// --read-only refuses every registered action (exit 3) before anything is
// planned or connected: the inventory given does not even exist.
import { describe, expect, it, vi } from 'vitest';
import { runActionCli } from '../../src/cli/run-action.js';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { refuseIfReadOnly } from '../../src/ops/engine/registry.js';
import { sessionOptions } from '../helpers/session-options.js';

describe('--read-only', () => {
  it('refuses every registered action with exit 3, before connecting', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const actions = builtinActions().list();
      expect(actions.map((a) => a.name)).toEqual(expect.arrayContaining(['copy', 'exec', 'fetch', 'kill']));
      for (const action of actions) {
        const code = await runActionCli(action.name, ['all', 'a', 'b'], { ...sessionOptions({ readOnly: true, inventory: '/nonexistent/inventory.yaml' }), yes: true });
        expect([action.name, code]).toEqual([action.name, 3]);
      }
      expect(stderr.mock.calls.filter(([text]) => String(text).includes('--read-only'))).toHaveLength(actions.length);
    } finally {
      stderr.mockRestore();
    }
  });

  it('the gate lets everything through without --read-only', () => {
    expect(refuseIfReadOnly(false, 'exec')).toBeUndefined();
    expect(refuseIfReadOnly(true, 'exec')).toMatchObject({ refused: true });
  });
});
