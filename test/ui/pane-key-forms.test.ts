// The key forms (node picker, weight prompt, weight steps): none of their
// keys is bound in the keymap or taken by a built-in pane action of the same
// pane, each names a loaded action, and an operator's own action on the key
// wins it.
import { describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import type { AnyAction } from '../../src/ops/engine/registry.js';
import { keyFormHelp, paneKeyForms, paneKeyHints, paneOwnKeys, PANE_ACTION_KEYS, PANE_KEY_FORMS } from '../../src/ui/actions/pane-action-keys.js';
import { DEFAULT_KEYMAP } from '../../src/ui/keymap/keymap.js';

const actions = builtinActions().list();

describe('pane key forms', () => {
  test('free keys, loaded actions', () => {
    const builtinKeys = new Set(Object.values(PANE_ACTION_KEYS));
    for (const f of PANE_KEY_FORMS) {
      expect(DEFAULT_KEYMAP.byKey.get(f.key), f.key).toBeUndefined();
      expect(builtinKeys.has(f.key), f.key).toBe(false);
      expect(actions.some((a) => a.name === f.action), f.action).toBe(true);
    }
    expect(new Set(PANE_KEY_FORMS.map((f) => f.key)).size).toBe(PANE_KEY_FORMS.length);
  });

  test('each pane offers the forms of its items, in the key line after its actions', () => {
    expect(paneKeyForms(actions, 'pacemaker').map((f) => f.key)).toEqual(['M', 'b', 'n', 'N']);
    expect(paneKeyForms(actions, 'haproxy').map((f) => f.key)).toEqual(['w', '[', ']', '{', '}', '=']);
    expect(paneKeyForms(actions, 'etcd').map((f) => f.key)).toEqual(['a']);
    expect(paneKeyHints(actions, 'etcd')).toEqual(['F defrag', 'L move-leader', 'a disarm alarms']);
    expect(paneKeyHints(actions, 'haproxy')).toEqual(['d drain', 'm maint', 'u ready', 'w weight', '[/] -1/+1', '{/} -10/+10', '= conf. weight']);
    expect(paneKeyHints(actions, 'actions')).toEqual(['C clear after move/ban']);
    expect(keyFormHelp(actions).map((e) => e.key)).toEqual(['M', 'b', 'w', '[', ']', '{', '}', '=', 'n', 'N', 'a', 'C', 'y', 'R', 'c/r', '⏎', 'm/u', 'R', 'F', 'n']);
    expect(paneKeyHints(actions, 'deploy')).toEqual(['n new deploy', 'F promote canary', 'u roll back']);
    expect(paneOwnKeys(actions, 'deploy')).toEqual(['n', 'F', 'u']);
  });

  test("an operator's own action on the key wins it", () => {
    const mine = { ...actions.find((a) => a.name === 'pacemaker.cleanup')!, name: 'my-move', custom: { key: 'M' } } as unknown as AnyAction;
    expect(paneKeyForms([mine, ...actions], 'pacemaker').map((f) => f.key)).toEqual(['b', 'n', 'N']);
  });
});
