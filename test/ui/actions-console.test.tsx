// `!` on the console, end to end inside the process: the prompt, the confirm
// dialog (y, the typed confirmation, Esc), the read-only refusal, the
// Actions pane with its grouped output, pause and abort. Commands really run
// on this machine through LocalTransports.
import { cleanup } from 'ink-testing-library';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { journalPath } from '../../src/ops/engine/journal.js';
import { waitFor } from '../helpers/wait-for.js';
import { actionConsole, hostIds, type ActionConsole } from './action-console.js';
import { KEYS, press, screen } from './render-app.js';

let open: ActionConsole | undefined;
afterEach(async () => {
  cleanup();
  await open?.close();
  open = undefined;
});

const start = (options: Parameters<typeof actionConsole>[0] = {}) => (open = actionConsole(options));
const onScreen = (c: ActionConsole, pattern: RegExp, what: string, ms = 10_000) => waitFor(() => pattern.test(screen(c.m)), ms, what);
const lastState = (c: ActionConsole) => c.service.progress.getState().actions[0]?.state;

describe('! then the confirm dialog', () => {
  test('y runs the command on the selected hosts; the Actions pane shows it grouped', async () => {
    const c = start({ hosts: hostIds(4) });
    await press(c.m, ' ', ' ', KEYS.down, ' ');
    expect(screen(c.m)).toContain('3 selected');
    await press(c.m, '!');
    expect(screen(c.m)).toMatch(/!\s+on ux\[01-02,04\] \(3 selected\) · ⏎ plan · esc cancel/);
    await press(c.m, ...'echo "hi there"', KEYS.enter);
    await onScreen(c, /Confirm exec/, 'confirm dialog');
    const dialog = screen(c.m);
    expect(dialog).toContain('exec "echo \\"hi there\\"" on ux[01-02,04]');
    expect(dialog).toMatch(/targets\s+ux\[01-02,04\] \(3\)/);
    expect(dialog).toMatch(/blast radius\s+3 hosts · no risk named/);
    expect(dialog).toMatch(/changes\s+ux\[01-02,04\]: runs: - -> echo "hi there"/);
    expect(dialog).toMatch(/preconditions\s+✓ 3 met/);
    expect(dialog).toMatch(/locks\s+host:ux\[01-02,04\]/);
    expect(dialog).toMatch(/verified by\s+strategy all: every host exits 0/);
    expect(dialog).toMatch(/undo\s+no undo/);
    expect(dialog).toContain('y run it  n/esc cancel');
    await press(c.m, 'y');
    await onScreen(c, /ok\s+█{3}/, 'action ok with three hosts done');
    const pane = screen(c.m);
    expect(pane).toMatch(/Actions .* 0 running · 1 recent/);
    expect(pane).toMatch(/ux\[01-02,04\] \(3\) rc 0/);
    expect(pane).toMatch(/^\s*│\s+hi there/m);
    expect(c.m.app.ui.getState().view).toBe('actions');
    // The journal has the whole run, ended ok.
    const id = c.service.progress.getState().actions[0]!.id;
    expect(readFileSync(journalPath(c.journalDir, id), 'utf8')).toMatch(/"t":"end","at":\d+,"state":"ok"/);
  });

  test('Esc cancels: nothing runs, nothing is journaled', async () => {
    const c = start();
    await press(c.m, '!', ...'touch /tmp/never', KEYS.enter);
    await onScreen(c, /Confirm exec/, 'confirm dialog');
    await press(c.m, KEYS.escape);
    expect(screen(c.m)).toContain('cancelled: nothing ran');
    expect(c.service.progress.getState().actions).toHaveLength(0);
    expect(c.m.app.ui.getState().mode).toBe('normal');
  });

  test('more than 10 hosts: y does nothing, the inventory name must be typed', async () => {
    const c = start({ hosts: hostIds(11) });
    await press(c.m, ':', ...'exec true', KEYS.enter);
    await onScreen(c, /Confirm exec/, 'confirm dialog');
    // The word is the plan's inventory (the file the console was started on).
    expect(screen(c.m)).toMatch(/11 hosts, more than 10: type inventory\.yaml and ⏎ to run it, esc cancels:/);
    expect(screen(c.m)).toMatch(/blast radius\s+11 hosts\s/);
    await press(c.m, 'y', KEYS.enter);
    expect(screen(c.m)).toContain('type inventory.yaml exactly to confirm');
    expect(c.service.progress.getState().actions).toHaveLength(0);
    await press(c.m, KEYS.backspace, ...'inventory.yaml', KEYS.enter);
    await waitFor(() => lastState(c) === 'ok', 15_000, 'typed confirmation ran it');
  });

  test('Enter on an empty prompt plans nothing; Esc closes the prompt', async () => {
    const c = start();
    await press(c.m, '!');
    await press(c.m, KEYS.enter);
    expect(c.m.app.ui.getState().mode).toBe('dialog');
    expect(screen(c.m)).toMatch(/^!/m);
    await press(c.m, KEYS.escape);
    expect(c.m.app.ui.getState().mode).toBe('normal');
  });
});

describe('--read-only', () => {
  test('! and :exec are refused before any prompt or plan, with the reason on screen', async () => {
    const c = start({ readOnly: true });
    await press(c.m, '!');
    expect(screen(c.m)).toContain('exec refused: baton runs with --read-only (no action may change a managed system)');
    expect(c.m.app.ui.getState().mode).toBe('normal');
    await press(c.m, ':', ...'exec touch /tmp/x', KEYS.enter);
    expect(screen(c.m)).toContain('exec refused: baton runs with --read-only');
    expect(c.service.progress.getState().actions).toHaveLength(0);
  });

  test('the command layer refuses every registered action before planning', async () => {
    const c = start({ readOnly: true });
    const names = builtinActions().list().map((a) => a.name);
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const name of names) {
      // No valid arguments needed: the gate comes before parsing them.
      const planned = await c.service.plan(name, []);
      expect(planned, name).toEqual({ refused: expect.objectContaining({ reason: expect.stringContaining(`${name} refused: baton runs with --read-only`) }) });
    }
  });
});

describe('Actions pane keys', () => {
  /** Plans through the command layer with one host at a time, so pause and abort have steps left to hold back. */
  async function startSerial(c: ActionConsole, command: string) {
    const planned = await c.service.plan('exec', ['all', command], { parallel: 1 });
    if (!('plan' in planned)) throw new Error(JSON.stringify(planned));
    c.service.start(planned.plan, planned.def);
    await press(c.m, '6');
    await onScreen(c, /running\s+▒/, 'a host running');
    return planned.plan.id;
  }

  test('p pauses (no new host starts) and resumes; the key line names p and A', async () => {
    const c = start();
    await startSerial(c, 'sleep 0.4');
    expect(screen(c.m)).toMatch(/j\/k move {2}⏎ detail {2}p pause {2}A abort/);
    await press(c.m, 'p');
    expect(lastState(c)).toBe('paused');
    await onScreen(c, /paused\s+█░░\s+1\/3/, "first host done, the rest held");
    await new Promise((r) => setTimeout(r, 800));
    expect(screen(c.m)).toMatch(/paused\s+█░░\s+1\/3/);
    await press(c.m, 'p');
    await waitFor(() => lastState(c) === 'ok', 10_000, 'resumed to the end');
    expect(screen(c.m)).toMatch(/ok\s+███\s+3\/3/);
  });

  test('A asks; k kills the running step and the rest never start', async () => {
    const c = start();
    await startSerial(c, 'sleep 30');
    await press(c.m, 'A');
    expect(screen(c.m)).toMatch(/Abort exec "sleep 30" on ux\[01-03\]\? No new step starts either way\./);
    expect(screen(c.m)).toMatch(/f let the running steps finish\s+k kill the running steps on their hosts/);
    await press(c.m, 'k');
    await waitFor(() => lastState(c) === 'failed', 10_000, 'aborted action ends');
    await press(c.m, KEYS.enter);
    const out = screen(c.m);
    expect(out).toMatch(/all: 0\/3 ok, 3 cancelled/);
    expect(out).toMatch(/ux01 \(1\) cancelled: killed on the host/);
    expect(out).toMatch(/ux\[02-03\] \(2\) cancelled: not started: aborted by/);
  });

  test('A then f lets the running step finish', async () => {
    const c = start();
    await startSerial(c, 'sleep 0.5; echo finished');
    await press(c.m, 'A', 'f');
    await waitFor(() => lastState(c) === 'failed', 10_000, 'aborted action ends');
    expect(screen(c.m)).toMatch(/ux01 \(1\) rc 0/);
    expect(screen(c.m)).toContain('finished');
  });
});
