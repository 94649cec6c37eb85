// At start the console reads the journal: an action whose process died
// mid-run is shown (which step, which hosts done) with resume, roll back
// (refused without an undo) and abandon; resume runs only the rest.
import { cleanup } from 'ink-testing-library';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { journalPath, JournalWriter, parseJournal } from '../../src/ops/engine/journal.js';
import type { Plan } from '../../src/ops/engine/plan.js';
import { waitFor } from '../helpers/wait-for.js';
import { actionConsole, type ActionConsole } from './action-console.js';
import { press, screen } from './render-app.js';

const opened: ActionConsole[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(opened.splice(0).map((c) => c.close()));
});

/** A journal left by a process that was SIGKILLed after ux01's step ended ok. */
async function interruptedRun(command: string): Promise<{ journalDir: string; plan: Plan }> {
  const journalDir = mkdtempSync(join(tmpdir(), 'baton-ui-journal-'));
  const planner = actionConsole({ journalDir: mkdtempSync(join(tmpdir(), 'baton-ui-planner-')) });
  opened.push(planner);
  const planned = await planner.service.plan('exec', ['all', command]);
  if (!('plan' in planned)) throw new Error(JSON.stringify(planned));
  const plan = planned.plan;
  // A pid that existed and is gone: the run's process died.
  const dead = spawnSync('true').pid;
  const journal = await JournalWriter.open(journalDir, plan.id);
  const at = Date.now();
  await journal.append({ t: 'begin', v: 1, at, who: { user: userInfo().username, host: hostname(), pid: dead }, plan });
  await journal.append({ t: 'step-start', at, step: 'exec:ux01', host: 'ux01', attempt: 1 });
  await journal.append({ t: 'step-end', at, step: 'exec:ux01', host: 'ux01', attempt: 1, outcome: 'ok', rc: 0, durationMs: 5, stdout: 'before\n', stderr: '' });
  await journal.append({ t: 'step-start', at, step: 'exec:ux02', host: 'ux02', attempt: 1 });
  await journal.close();
  return { journalDir, plan };
}

const records = (dir: string, id: string) => parseJournal(readFileSync(journalPath(dir, id), 'utf8')).records;

describe('interrupted actions at start', () => {
  test('shown with the step it stopped at and the hosts done; u is refused without an undo; r resumes only the rest', async () => {
    const { journalDir, plan } = await interruptedRun('echo resumed');
    const c = actionConsole({ journalDir });
    opened.push(c);
    await waitFor(() => /Interrupted action/.test(screen(c.m)), 10_000, 'interrupted dialog');
    const s = screen(c.m);
    expect(s).toContain('exec "echo resumed" on ux[01-03]');
    expect(s).toContain(`${plan.id} · by ${userInfo().username}@${hostname()}`);
    expect(s).toMatch(/steps ok 1\/3 · stopped at exec:ux02 \(echo resumed\)/);
    expect(s).toMatch(/hosts done: ux01 · not done: ux\[02-03\] · no undo/);
    await press(c.m, 'u');
    expect(screen(c.m)).toContain('exec "echo resumed" on ux[01-03] has no undo: resume or abandon it');
    await press(c.m, 'r');
    await waitFor(() => c.service.progress.getState().actions[0]?.state === 'ok', 15_000, 'resumed run ends ok');
    expect(c.m.app.ui.getState().view).toBe('actions');
    const after = records(journalDir, plan.id);
    const resumedAt = after.findIndex((r) => r.t === 'resume');
    expect(resumedAt).toBeGreaterThan(0);
    const started = after.slice(resumedAt).flatMap((r) => (r.t === 'step-start' ? [r.host] : []));
    expect(started.sort()).toEqual(['ux02', 'ux03']);
    expect(after.at(-1)).toMatchObject({ t: 'end', state: 'ok' });
  });

  test('a marks it abandoned in the journal and closes the dialog', async () => {
    const { journalDir, plan } = await interruptedRun('echo never');
    const c = actionConsole({ journalDir });
    opened.push(c);
    await waitFor(() => /Interrupted action/.test(screen(c.m)), 10_000, 'interrupted dialog');
    await press(c.m, 'a');
    await waitFor(() => records(journalDir, plan.id).at(-1)?.t === 'end', 5000, 'abandon journaled');
    expect(records(journalDir, plan.id).at(-1)).toMatchObject({ t: 'end', state: 'abandoned' });
    expect(records(journalDir, plan.id).filter((r) => r.t === 'step-start')).toHaveLength(2);
    expect(c.m.app.ui.getState().mode).toBe('normal');
  });

  test('nothing interrupted: no dialog', async () => {
    const c = actionConsole();
    opened.push(c);
    await new Promise((r) => setTimeout(r, 300));
    expect(screen(c.m)).not.toContain('Interrupted');
    expect(c.m.app.ui.getState().mode).toBe('normal');
  });
});
