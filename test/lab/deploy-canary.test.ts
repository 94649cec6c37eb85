// Canary deploys against the real lab under traffic through HAProxy: v3-bad
// (20 good answers, then 500) is judged at the first step by HAProxy's own
// counters, web1 leaves rotation at once and goes back to v1, every weight is
// back, exit 2, a bounded number of failed requests (reported), none after
// the deploy ended. v2 passes its steps, is promoted and rolls on: every host
// on v2, zero failed requests. Needs the lab lock:
//   flock /tmp/baton-lab.lock npx vitest run test/lab/deploy-canary.test.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batonIn, underTraffic, versions } from '../helpers/deploy-lab.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
let state: string;
const baton = (...args: string[]) => batonIn(lab, state)(...args);

/** name -> [status, weight] of backend web's servers on lb1, from HAProxy itself. */
function servers(): Record<string, [string, string]> {
  const csv = spawnSync('socat', ['-t', '2', '-', 'TCP:127.0.3.6:9999'], { input: 'show stat\n', encoding: 'utf8', timeout: 5000 }).stdout;
  return Object.fromEntries(csv.split('\n').filter((l) => l.startsWith('web,') && !/^web,(BACKEND|FRONTEND|sorry),/.test(l)).map((l) => { const f = l.split(','); return [f[1]!, [f[17]!, f[18]!]]; }));
}

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'baton-canary-lab-'));
  lab = await startTestLab();
}, 150_000);

afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

describe('canary deploy of the lab web app', () => {
  it('v3-bad aborts at the first gate: traffic back on the v1 servers, web1 rolled back, exit 2, failed requests bounded', async () => {
    const { result, records, failed, endedAt } = await underTraffic(() => baton('deploy', 'run', 'lab-canary', '--release', 'v3-bad', '--yes', '--json'), 2000);
    expect(result.code, result.stderr).toBe(2);
    const out = JSON.parse(result.stdout) as { state: string; hosts: Array<{ step: string; state: string; stderr: string }> };
    expect(out.state).toBe('rolled-back');
    expect(JSON.stringify(out)).toMatch(/b0\/web1\/ready\/lb1-analysis-1/);
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    expect(servers()).toEqual({ web1: ['UP', '1'], web2: ['UP', '1'], web3: ['UP', '1'] });
    // The bad answers came from the canary's share during its first step, and stopped with it.
    process.stdout.write(`canary v3-bad: ${failed.length} failed of ${records.length} requests\n`);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(records.length * 0.1);
    expect(failed.filter((r) => r.startAt > endedAt)).toEqual([]);
  }, 120_000);

  it('v2 passes 10 % and 50 %, is promoted and rolls on: every host on v2, zero failed requests', async () => {
    const { result, failed } = await underTraffic(() => baton('deploy', 'run', 'lab-canary', '--release', 'v2', '--yes', '--json'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // Both steps short of 100 ran on both LBs, with their analyses.
    for (const id of ['lb1-weight-1', 'lb2-weight-1', 'lb1-analysis-1', 'lb2-analysis-1', 'lb1-weight-2', 'lb1-analysis-2', 'lb1-weights-back']) expect(result.stdout).toContain(`b0/web1/ready/${id}`);
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
    expect(servers()).toEqual({ web1: ['UP', '1'], web2: ['UP', '1'], web3: ['UP', '1'] });
    expect(failed).toEqual([]);
  }, 120_000);
});
