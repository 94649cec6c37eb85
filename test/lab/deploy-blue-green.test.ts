// Blue/green against the real lab under traffic through HAProxy: with green
// (web3) drained, a deploy puts v2 on green only and switches in one call:
// every answer is v2 after it, blue keeps v1; the rollback is the switch
// back: every answer v1 again. Zero failed requests both ways. Needs the lab lock:
//   flock /tmp/baton-lab.lock npx vitest run test/lab/deploy-blue-green.test.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../src/ops/drills/traffic-request.js';
import { batonIn, FRONTEND, underTraffic, versions } from '../helpers/deploy-lab.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
let state: string;
const baton = (...args: string[]) => batonIn(lab, state)(...args);

/** What the frontend answers, 12 times in a row. */
const served = async () => [...new Set(await Promise.all(Array.from({ length: 12 }, async () => (await httpGet(FRONTEND, 2000)).detail?.trim())))].sort();

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'baton-bg-lab-'));
  lab = await startTestLab();
}, 150_000);

afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

describe('blue/green deploy of the lab web app', () => {
  it('refuses while both pools take traffic', async () => {
    const r = await baton('deploy', 'run', 'lab-blue-green', '--release', 'v2', '--yes');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/both pools take traffic/);
  });

  it('v2 goes to the idle green pool, then one switch: every answer v2, blue keeps v1, zero failed requests', async () => {
    const drain = await baton('act', 'haproxy.drain', 'web/web3', '--yes');
    expect(drain.code, drain.stderr).toBe(0);
    const { result, failed } = await underTraffic(() => baton('deploy', 'run', 'lab-blue-green', '--release', 'v2', '--yes'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await versions()).toEqual(['v1', 'v1', 'v2']);
    expect(await served()).toEqual(['v2']);
    expect(failed).toEqual([]);
  }, 120_000);

  it('the switch back (deploy rollback) puts blue in again: every answer v1, zero failed requests', async () => {
    const { result, failed } = await underTraffic(() => baton('deploy', 'rollback', 'lab-blue-green', '--yes'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await served()).toEqual(['v1']);
    expect(await versions()).toEqual(['v1', 'v1', 'v2']);
    expect(failed).toEqual([]);
  }, 120_000);
});
