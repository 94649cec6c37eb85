// End to end on a real lab: the built console in tmux runs the lab-web-app
// drill from D (picker, plan, y), shows the stopwatch and the timeline, and
// A aborts it: the restore runs (web2's app back, as the lab says). Then a
// console SIGKILLed mid-drill leaves its fault in place and a journal; the
// next console offers the drill at start, and r restores it. Needs
// `npm run build`; starts the one lab of the machine.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { TmuxPane } from '../helpers/tmux.js';
import { startLabConsole } from '../helpers/lab-console.js';
import { waitFor } from '../helpers/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-drill-'));
const state = join(dir, 'state');
let lab: TestLab;
const panes: TmuxPane[] = [];

function openConsole(name: string): TmuxPane {
  const pane = startLabConsole({ dir, name, inventory: lab.files.inventory, view: 'hosts', columns: 120, stateHome: state });
  panes.push(pane);
  return pane;
}

const failed = () => lab.status().components.flatMap((c) => c.failed);

/** D, the fourth drill (lab-web-app), its plan, y: the drill view. */
async function startWebAppDrill(pane: TmuxPane): Promise<void> {
  pane.keys('D', true);
  await waitFor(() => /Run a failover drill/.test(pane.screen()), 10_000, 'the drill picker');
  pane.keys('jjj', true);
  pane.keys('Enter');
  await waitFor(() => /Confirm drill lab-web-app/.test(pane.screen()), 10_000, 'the plan');
  expect(pane.screen()).toMatch(/injects\s+lab fail app:web2/);
  expect(pane.screen()).toMatch(/blast radius\s+baton-lab \(the lab\)/);
  pane.keys('y', true);
  await waitFor(() => /✓ \+0\.0 s\s+fault injected\s+lab fail app:web2/.test(pane.screen()), 40_000, 'the fault injected');
}

beforeAll(async () => {
  lab = await startTestLab();
}, 120_000);
afterAll(async () => {
  for (const p of panes) p.kill();
  await lab?.down();
  rmSync(dir, { recursive: true, force: true });
});

describe('a failover drill from the console, on the lab', () => {
  it('lab up ends with the drill key', () => {
    expect(lab.upOutput.trimEnd()).toMatch(/press D to run the failover drill$/);
  });

  it('D runs lab-web-app with the stopwatch; A aborts it and the restore brings web2 back', async () => {
    const pane = openConsole('baton-drill');
    await waitFor(() => /up \d+\/\d+/.test(pane.screen()), 20_000, 'the console up');
    await startWebAppDrill(pane);
    // The big stopwatch: five rows of blocks under the pane's title.
    expect(pane.screen()).toMatch(/┏━ Drill[^\n]*\n[│┃] [█ ]*█/);
    expect(failed()).toEqual(['app:web2']);
    await waitFor(() => /✓ \+[\d.]+ s\s+detected\s+haproxy/.test(pane.screen()), 20_000, 'detection on the timeline');
    pane.keys('A', true);
    const end = await waitFor(() => /FAILED · report (\S+\.md)/.exec(pane.screen()) ?? undefined, 40_000, 'the drill over, its report');
    const s = pane.screen();
    expect(s).toMatch(/✓ \+[\d.]+ s\s+restored\s+lab heal app:web2/);
    expect(s).toMatch(/✓ \+[\d.]+ s\s+restore started\s+aborted: A pressed/);
    expect(existsSync(end[1]!)).toBe(true);
    expect(failed()).toEqual([]);
    pane.keys('q', true);
  }, 120_000);

  it('a console killed mid-drill: the next start offers the drill, r restores it', async () => {
    const first = openConsole('baton-drill-killed');
    await waitFor(() => /up \d+\/\d+/.test(first.screen()), 20_000, 'the console up');
    await startWebAppDrill(first);
    process.kill(Number(first.format('#{pane_pid}')), 'SIGKILL');
    await waitFor(() => first.format('#{pane_dead}') === '1', 5000, 'the console gone');
    // Nobody restored it.
    expect(failed()).toEqual(['app:web2']);
    const next = openConsole('baton-drill-next');
    await waitFor(() => /Interrupted drill/.test(next.screen()), 20_000, 'the offer at start');
    expect(next.screen()).toContain('drill lab-web-app');
    expect(next.screen()).toContain('the fault was injected and may still be in place');
    expect(next.screen()).toContain('restore: lab heal app:web2');
    next.keys('r', true);
    await waitFor(() => /drill lab-web-app restored: 1 restore step ok/.test(next.screen()), 30_000, 'restored');
    expect(failed()).toEqual([]);
    next.keys('q', true);
  }, 120_000);
});
