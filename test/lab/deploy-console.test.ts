// The Deploy pane on the real lab, in a real terminal (tmux), under 40
// requests/s on HAProxy's frontend. A `baton deploy run` SIGKILLed after
// web2's switch is offered at the next console start, and r there finishes
// it; u then rolls it back to v1 through the confirm dialog. n starts
// lab-rolling v2, p pauses it at the next batch boundary (the console then
// quits), a second console shows it paused and p resumes it to the end,
// with zero failed requests. Last, lab-canary v2 from n, and F during its
// first analysis: the canary is promoted (the 50 % step skipped), the
// others roll, zero failed.
// Needs `npm run build` and the lab lock:
//   flock /tmp/baton-lab.lock npx vitest run test/lab/deploy-console.test.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrafficProbe } from '../../src/ops/drills/traffic-probe.js';
import { httpGet } from '../../src/ops/drills/traffic-request.js';
import { batonIn, FRONTEND, versions } from '../helpers/deploy-lab.js';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';
import { TmuxPane } from '../helpers/tmux.js';
import { startLabConsole } from '../helpers/lab-console.js';
import { waitFor } from '../helpers/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-deploy-console-'));
const state = join(dir, 'state');
let lab: TestLab;
const panes: TmuxPane[] = [];

function openConsole(name: string): TmuxPane {
  const pane = startLabConsole({ dir, name, inventory: lab.files.inventory, view: 'deploy', columns: 140, stateHome: state });
  panes.push(pane);
  return pane;
}

async function quit(pane: TmuxPane): Promise<void> {
  pane.keys('q', true);
  await waitFor(() => pane.format('#{pane_dead}') === '1', 10_000, 'the console gone');
}

beforeAll(async () => {
  mkdirSync(state, { recursive: true });
  lab = await startTestLab();
}, 150_000);

afterAll(async () => {
  for (const p of panes) p.kill();
  await lab?.down();
  rmSync(dir, { recursive: true, force: true });
});

describe('deploys from the console, on the lab', () => {
  it('a deploy run SIGKILLed after web2 switched is offered at the next console start; r finishes it', async () => {
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    const journal = join(state, 'baton', 'journal');
    mkdirSync(journal, { recursive: true });
    const before = new Set(readdirSync(journal));
    const child = spawn(process.execPath, [BATON_CLI, 'deploy', 'run', 'lab-rolling', '--release', 'v2', '--yes', '-i', lab.files.inventory], { env: { ...process.env, XDG_STATE_HOME: state }, stdio: 'ignore' });
    const file = await waitFor(() => readdirSync(journal).find((f) => !before.has(f)), 30_000, 'the deploy journal');
    await waitFor(() => /"t":"step-end","at":\d+,"step":"b1\/web2\/switch"[^\n]*"outcome":"ok"/.test(readFileSync(join(journal, file), 'utf8')), 60_000, "web2's switch journaled ok");
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const mixed = await versions();
    expect(mixed.slice(0, 2)).toEqual(['v2', 'v2']);
    expect(['v1', 'v2']).toContain(mixed[2]);

    const next = openConsole('deploy-after-kill');
    await waitFor(() => /Interrupted action/.test(next.screen()), 20_000, 'the offer at start');
    expect(next.screen()).toMatch(/deploy lab-rolling v2 to web1,web2,web3 in 3 batches/);
    expect(next.screen()).toMatch(/hosts done: web1/);
    next.keys('r', true);
    await waitFor(() => /"t":"end"[^\n]*"state":"ok"/.test(readFileSync(join(journal, file), 'utf8')), 90_000, 'the resumed deploy journaled ok');
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
    const status = JSON.parse((await batonIn(lab, state)('deploy', 'status', '--json')).stdout) as Array<{ state: string; version: string }>;
    expect(status[0]).toMatchObject({ state: 'ok', version: 'v2' });
    await quit(next);
  }, 180_000);

  it('u rolls the latest deploy back to v1 through the confirm dialog, zero failed requests', async () => {
    const probe = new TrafficProbe({ name: 'frontend', http: FRONTEND, rate: 40, timeout: 2000, slow: 500 }, () => httpGet(FRONTEND, 2000));
    probe.start();
    try {
      const pane = openConsole('deploy-rollback');
      await waitFor(() => /lab-rolling v2 ok/.test(pane.screen()), 20_000, 'the last deploy in the pane');
      pane.keys('u', true);
      await waitFor(() => /Confirm deploy/.test(pane.screen()), 30_000, 'the rollback plan');
      expect(pane.screen()).toMatch(/deploy lab-rolling v1 \(rollback\) to web1,web2,web3/);
      pane.keys('y', true);
      await waitFor(() => /lab-rolling v1 ok/.test(pane.screen()), 90_000, 'rolled back');
      await quit(pane);
    } finally {
      await probe.stop();
    }
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    console.log(`rollback from the console: ${probe.records.length} requests, ${probe.records.filter((r) => r.outcome !== 'ok').length} failed`);
    expect(probe.records.filter((r) => r.outcome !== 'ok')).toEqual([]);
  }, 180_000);

  let pausedBefore = 0;
  it('n starts lab-rolling v2, p pauses it at a batch boundary; another console resumes it with p; zero failed requests', async () => {
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    const probe = new TrafficProbe({ name: 'frontend', http: FRONTEND, rate: 40, timeout: 2000, slow: 500 }, () => httpGet(FRONTEND, 2000));
    probe.start();
    try {
      const first = openConsole('deploy-first');
      await waitFor(() => /up \d+\/\d+/.test(first.screen()), 20_000, 'the console up');
      first.keys('n', true);
      await waitFor(() => /New deploy/.test(first.screen()), 10_000, 'the pick dialog');
      const names = [...first.screen().matchAll(/^[│┃][> ] (\S+) {2,}\S/gm)].map((x) => x[1]);
      for (let i = 0; i < names.indexOf('lab-rolling'); i++) first.keys('Down');
      await waitFor(() => /> lab-rolling/.test(first.screen()) && /release: v2/.test(first.screen()), 5000, 'lab-rolling, v2');
      first.keys('Enter');
      await waitFor(() => /Confirm deploy/.test(first.screen()), 30_000, 'the plan');
      expect(first.screen()).toMatch(/batch 1\/3: web1/);
      expect(first.screen()).toMatch(/drain\s+web1 lb1: drain \S+\/web1 on lb1/);
      first.keys('y', true);
      await waitFor(() => /lab-rolling v2 running/.test(first.screen()), 20_000, 'the run in the pane');
      first.keys('p', true);
      const paused = await waitFor(() => /paused by the operator before batch (\d)\/3/.exec(first.screen()) ?? undefined, 60_000, 'paused at a boundary');
      pausedBefore = Number(paused[1]);
      const done = pausedBefore - 1;
      expect(await versions()).toEqual(['v1', 'v1', 'v1'].map((v, i) => (i < done ? 'v2' : v)));
      await quit(first);

      const second = openConsole('deploy-second');
      await waitFor(() => /lab-rolling v2 paused/.test(second.screen()), 20_000, 'the paused deploy at the next start');
      second.keys('p', true);
      await waitFor(() => /lab-rolling v2 ok/.test(second.screen()), 90_000, 'resumed to the end');
      expect(second.screen()).toMatch(/ended: current on web1: v2, web2: v2, web3: v2/);
      expect(await versions()).toEqual(['v2', 'v2', 'v2']);
      await quit(second);
    } finally {
      await probe.stop();
    }
    const failed = probe.records.filter((r) => r.outcome !== 'ok');
    console.log(`console deploy paused before batch ${pausedBefore}/3, resumed by another console: ${probe.records.length} requests, ${failed.length} failed`);
    expect(probe.records.length).toBeGreaterThan(100);
    expect(failed).toEqual([]);
  }, 240_000);

  it('F during the canary\'s first analysis promotes it: the later steps skipped, every host on v2, zero failed requests', async () => {
    const journal = join(state, 'baton', 'journal');
    const before = new Set(readdirSync(journal));
    const probe = new TrafficProbe({ name: 'frontend', http: FRONTEND, rate: 40, timeout: 2000, slow: 500 }, () => httpGet(FRONTEND, 2000));
    probe.start();
    let text = '';
    try {
      const pane = openConsole('deploy-canary');
      await waitFor(() => /up \d+\/\d+/.test(pane.screen()), 20_000, 'the console up');
      pane.keys('n', true);
      await waitFor(() => /New deploy/.test(pane.screen()), 10_000, 'the pick dialog');
      const names = [...pane.screen().matchAll(/^[│┃][> ] (\S+) {2,}\S/gm)].map((x) => x[1]);
      for (let i = 0; i < names.indexOf('lab-canary'); i++) pane.keys('Down');
      await waitFor(() => /> lab-canary/.test(pane.screen()) && /release: v2/.test(pane.screen()), 5000, 'lab-canary, v2');
      pane.keys('Enter');
      await waitFor(() => /Confirm deploy/.test(pane.screen()), 30_000, 'the plan');
      pane.keys('y', true);
      const file = await waitFor(() => readdirSync(journal).find((f) => !before.has(f)), 30_000, 'the canary journal');
      await waitFor(() => /"t":"step-start"[^\n]*analysis-1/.test(readFileSync(join(journal, file), 'utf8')), 90_000, 'the first analysis running');
      // The pane re-reads the journal once a tick: until it shows the canary, F acts on the deploy it shows (the earlier rolling one).
      await waitFor(() => /lab-canary v2 running/.test(pane.screen()), 10_000, 'the pane showing the canary');
      pane.keys('F', true);
      await waitFor(() => /canary promoted/.test(pane.screen()), 10_000, 'the promotion said');
      await waitFor(() => /lab-canary v2 ok/.test(pane.screen()), 120_000, 'promoted and rolled to the end');
      text = readFileSync(join(journal, file), 'utf8');
      await quit(pane);
    } finally {
      await probe.stop();
    }
    expect(text).toContain('canary promoted by the operator');
    expect(text).toMatch(/"step":"b0\/web1\/ready\/lb1-analysis-1"[^\n]*"outcome":"ok"[^\n]*ended early: the canary was promoted/);
    expect(text).toMatch(/"step":"b0\/web1\/ready\/lb1-weight-2"[^\n]*"outcome":"ok"[^\n]*skipped: the canary was promoted/);
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
    const failed = probe.records.filter((r) => r.outcome !== 'ok');
    console.log(`canary promoted from the console: ${probe.records.length} requests, ${failed.length} failed`);
    expect(failed).toEqual([]);
  }, 240_000);
});
