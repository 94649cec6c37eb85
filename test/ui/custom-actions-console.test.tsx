// The operator's own actions in the console: their key on the pane they fit
// (shown in the key line and ?), the confirm dialog unless they say
// confirm: false, and --read-only refusing the dangerous ones only. The
// commands really run through LocalTransports.
import { cleanup } from 'ink-testing-library';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadActionRegistry } from '../../src/ops/action-registry.js';
import { waitFor } from '../helpers/wait-for.js';
import { actionConsole, hostIds, type ActionConsole } from './action-console.js';
import { KEYS, press, screen } from './render-app.js';

let open: ActionConsole | undefined;
let dir = '';
afterEach(async () => {
  cleanup();
  await open?.close();
  open = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function withActions(readOnly = false): ActionConsole {
  dir = mkdtempSync(join(tmpdir(), 'baton-custom-ui-'));
  mkdirSync(join(dir, 'actions'));
  writeFileSync(join(dir, 'actions', 'mark.yaml'), `name: mark-host\nkey: M\nscope: host\ncommand: echo $HOST >> ${join(dir, 'marks')}\n`);
  writeFileSync(join(dir, 'actions', 'peek.yaml'), 'name: peek\nkey: P\nscope: host\ncommand: echo peeked $HOST\ndangerous: false\nconfirm: false\n');
  writeFileSync(join(dir, 'actions', 'server.yaml'), 'name: drain-it\nkey: D\nscope: haproxy.server\ncommand: "true"\n');
  const { registry, errors } = loadActionRegistry({ file: join(dir, 'inventory.yaml') }, join(dir, 'no-config'));
  expect(errors).toEqual([]);
  return (open = actionConsole({ hosts: hostIds(3, 'cu'), readOnly, registry }));
}

describe('custom actions on the hosts pane', () => {
  test('the key line and ? show them; the key plans for the host under the cursor and y runs it', async () => {
    const c = withActions();
    expect(screen(c.m)).toMatch(/M mark-host {2}P peek/);
    expect(screen(c.m)).not.toContain('drain-it');
    await press(c.m, '?');
    const help = screen(c.m);
    expect(help).toContain('Action keys');
    expect(help).toMatch(/M\s+mark-host/);
    expect(help).toMatch(/P\s+peek/);
    expect(help).toMatch(/D\s+drain-it/);
    await press(c.m, KEYS.escape, KEYS.down, 'M');
    await waitFor(() => /Confirm mark-host/.test(screen(c.m)), 10_000, 'the confirm dialog');
    expect(screen(c.m)).toMatch(/targets\s+cu02 \(1\)/);
    await press(c.m, 'y');
    await waitFor(() => c.service.progress.getState().actions[0]?.state === 'ok', 10_000, 'mark-host ok');
    expect(readFileSync(join(dir, 'marks'), 'utf8')).toBe('cu02\n');
  });

  test('confirm: false runs at once; --read-only refuses the dangerous action and lets the harmless one run', async () => {
    const c = withActions(true);
    await press(c.m, 'M');
    await waitFor(() => /mark-host refused: baton runs with --read-only/.test(screen(c.m)), 5000, 'the refusal');
    expect(c.service.progress.getState().actions).toHaveLength(0);
    await press(c.m, 'P');
    await waitFor(() => c.service.progress.getState().actions[0]?.state === 'ok', 10_000, 'peek ran without a dialog');
    expect(c.m.app.ui.getState().view).toBe('actions');
  });

  test(':act plans any action by name with its arguments, then the confirm dialog', async () => {
    const c = withActions();
    await press(c.m, ':', ...'act mark-host cu03', KEYS.enter);
    await waitFor(() => /Confirm mark-host/.test(screen(c.m)), 10_000, 'the confirm dialog');
    expect(screen(c.m)).toMatch(/targets\s+cu03 \(1\)/);
    await press(c.m, 'y');
    await waitFor(() => c.service.progress.getState().actions[0]?.state === 'ok', 10_000, 'mark-host ok');
    expect(readFileSync(join(dir, 'marks'), 'utf8')).toBe('cu03\n');
    await press(c.m, ':', ...'act nope x', KEYS.enter);
    await waitFor(() => /unknown action "nope"/.test(screen(c.m)), 5000, 'the unknown action');
  });
});
