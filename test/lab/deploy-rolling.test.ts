// Deploys against the real lab under traffic through HAProxy's frontend:
// a rolling v1 -> v2 ends with every host on v2 and not one failed request,
// and a rollback to v1 goes the same way; a deploy SIGKILLed after a host's
// switch leaves every host on v1 or v2 and `baton resume` completes it.
// Needs the lab lock:
//   flock /tmp/baton-lab.lock npx vitest run test/lab/deploy-rolling.test.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batonIn, underTraffic, versions, WEB } from '../helpers/deploy-lab.js';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';
import { waitFor } from '../helpers/wait-for.js';

let lab: TestLab;
let state: string;
const baton = (...args: string[]) => batonIn(lab, state)(...args);

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'baton-deploy-lab-'));
  lab = await startTestLab();
}, 150_000);

afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

describe('rolling deploy of the lab web app', () => {
  it('v1 -> v2, one host at a time through HAProxy: every host on v2, zero failed requests', async () => {
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    const { result, records, failed } = await underTraffic(() => baton('deploy', 'run', 'lab-rolling', '--release', 'v2', '--yes', '--json'));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'ok', hosts: expect.any(Array) });
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
    expect(records.length).toBeGreaterThan(100);
    expect(failed).toEqual([]);
    // The release went up over SFTP and the switch is a relative link in the deploy root.
    expect(lab.ssh('web2', 'readlink /srv/baton/current; cat /srv/baton/releases/v2/version').stdout).toBe('releases/v2\nv2\n');
  }, 120_000);

  it('the journal has the run; deploy status shows it ok', async () => {
    const status = await baton('deploy', 'status', '--json');
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ deploy: 'lab-rolling', version: 'v2', state: 'ok', hostsDone: ['web1', 'web2', 'web3'] })]);
  });

  it('rollback goes back to v1 (the previous release, already on the hosts) the same way: zero failed requests', async () => {
    const { result, failed } = await underTraffic(() => baton('deploy', 'rollback', 'lab-rolling', '--yes'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
    expect(failed).toEqual([]);
  }, 120_000);

  it('is refused with --read-only (exit 3), nothing changes', async () => {
    const r = await baton('deploy', 'run', 'lab-rolling', '--release', 'v2', '--yes', '--read-only');
    expect(r.code).toBe(3);
    expect(await versions()).toEqual(['v1', 'v1', 'v1']);
  });

  it('SIGKILL after web2 switched: every host on v1 or v2 (never between), status offers resume, resume completes on v2', async () => {
    const journal = join(state, 'baton', 'journal');
    const env = { ...process.env, XDG_STATE_HOME: state };
    mkdirSync(journal, { recursive: true });
    const before = new Set(readdirSync(journal));
    const child = spawn(process.execPath, [BATON_CLI, 'deploy', 'run', 'lab-rolling', '--release', 'v2', '--yes', '-i', lab.files.inventory], { env, stdio: 'ignore' });
    const file = await waitFor(() => readdirSync(journal).find((f) => !before.has(f)), 30_000, 'the deploy journal');
    await waitFor(() => /"t":"step-end","at":\d+,"step":"b1\/web2\/switch"[^\n]*"outcome":"ok"/.test(readFileSync(join(journal, file), 'utf8')), 60_000, "web2's switch journaled ok");
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const links = WEB.map((_, i) => lab.ssh(`web${i + 1}`, 'readlink /srv/baton/current').stdout.trim());
    expect(links.slice(0, 2)).toEqual(['releases/v2', 'releases/v2']);
    expect(['releases/v1', 'releases/v2']).toContain(links[2]);
    const status = JSON.parse((await baton('deploy', 'status', '--json')).stdout) as Array<{ state: string; id: string; next: string }>;
    expect(status[0]).toMatchObject({ state: 'interrupted', next: expect.stringContaining(`baton resume ${status[0]!.id}`) });
    const resumed = await baton('resume', status[0]!.id);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(await versions()).toEqual(['v2', 'v2', 'v2']);
  }, 150_000);
});
