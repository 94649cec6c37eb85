// The lab's own sync sets against the real lab: `lab drift web2` shows as
// drift and `sync apply` brings it back; a haproxy.cfg on lb1 that fails
// `haproxy -c` is never installed on the standby lb2, whose HAProxy keeps
// answering; a good one is installed and lb2's HAProxy really reloads (a
// new worker, and the new file's effect on its answers). Needs the lab lock:
//   flock /tmp/baton-lab.lock npx vitest run test/lab/sync-lab.test.ts
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';
import { waitFor } from '../helpers/wait-for.js';

let lab: TestLab;
let state: string;

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [BATON_CLI, ...args, '-i', lab.files.inventory], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_STATE_HOME: state, XDG_CACHE_HOME: state } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type StatusRow = { set: string; host: string; state: string; files: Array<{ path: string; state: string }> };
const states = (set: string) => Object.fromEntries((JSON.parse(baton('sync', 'status', set, '--json').stdout) as StatusRow[]).map((r) => [r.host, r.state]));
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const curl = (...args: string[]) => spawnSync('curl', ['-sS', '--max-time', '5', ...args], { encoding: 'utf8' });
const socat = (socket: string, command: string) => spawnSync('socat', ['-t', '2', '-', `UNIX-CONNECT:${socket}`], { input: `${command}\n`, encoding: 'utf8', timeout: 5000 }).stdout;
const workerPid = () => /^Pid: (\d+)$/m.exec(socat(join(lab.dir, 'haproxy-lb2', 'admin.sock'), 'show info'))?.[1];

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'baton-sync-lab-'));
  lab = await startTestLab();
}, 150_000);

afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

describe('the lab sync set app-config', () => {
  it('shows web2 drifted after `lab drift web2`, and apply brings it back', () => {
    expect(states('app-config')).toEqual({ web1: 'in-sync', web2: 'in-sync', web3: 'in-sync' });
    const drift = lab.baton('drift', 'web2');
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(/web2: conf\/app\.conf changed/);
    expect(curl('http://127.0.3.2:8080/config').stdout).toMatch(/changed behind baton's back/);

    const status = baton('sync', 'status', 'app-config', '--json');
    expect(status.code).toBe(2);
    const rows = JSON.parse(status.stdout) as StatusRow[];
    expect(rows.find((r) => r.host === 'web2')).toMatchObject({ state: 'drifted', files: [expect.objectContaining({ path: 'app.conf', state: 'drifted' })] });
    expect(states('app-config')).toEqual({ web1: 'in-sync', web2: 'drifted', web3: 'in-sync' });

    const apply = baton('sync', 'apply', 'app-config', '--yes');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(states('app-config')).toEqual({ web1: 'in-sync', web2: 'in-sync', web3: 'in-sync' });
    expect(sha(join(lab.dir, 'hosts', 'web2', 'conf', 'app.conf'))).toBe(sha(join(lab.dir, 'app-conf', 'app.conf')));
    // The app serves the file it now has.
    expect(curl('http://127.0.3.2:8080/config').stdout).not.toMatch(/changed behind/);
  });

  it('refuses a host that has no synced file to drift, and a path outside the deploy root', () => {
    expect(lab.baton('drift', 'db1').stderr).toMatch(/db1 has no file the lab's sync sets keep/);
    expect(lab.baton('drift', 'web1', '../lb1/haproxy/haproxy.cfg').stderr).toMatch(/outside its deploy root/);
  });
});

describe('the lab sync set haproxy-cfg (lb2 made like lb1)', () => {
  const lb1Cfg = () => join(lab.dir, 'hosts', 'lb1', 'haproxy', 'haproxy.cfg');
  const lb2Cfg = () => join(lab.dir, 'hosts', 'lb2', 'haproxy', 'haproxy.cfg');

  it('never installs a haproxy.cfg that fails haproxy -c; lb2 keeps serving the old one', () => {
    expect(states('haproxy-cfg')).toEqual({ lb2: 'in-sync' });
    const good = readFileSync(lb1Cfg(), 'utf8');
    const before = sha(lb2Cfg());
    const pid = workerPid();
    expect(pid).toMatch(/^\d+$/);
    writeFileSync(lb1Cfg(), `${good}  no-such-keyword on\n`); // an edit on the active LB, not reloaded there
    expect(states('haproxy-cfg')).toEqual({ lb2: 'drifted' });

    const apply = baton('sync', 'apply', 'haproxy-cfg', '--yes');
    expect(apply.code).toBe(2);
    expect(apply.stdout + apply.stderr).toMatch(/VALIDATE FAILED[\s\S]*no-such-keyword/);
    expect(sha(lb2Cfg())).toBe(before);
    expect(workerPid()).toBe(pid); // not reloaded
    expect(curl('-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.3.251:8000/').stdout).toBe('200');
    writeFileSync(lb1Cfg(), good);
    expect(states('haproxy-cfg')).toEqual({ lb2: 'in-sync' });
  });

  it('installs a good one and reloads lb2 for real: a new worker serving the new file', async () => {
    const probe = (address: string) => curl(`http://${address}:8404/baton-config`).stdout;
    expect(probe('127.0.3.251')).not.toBe('config v2');
    const pid = workerPid();
    // Into `listen stats`: once loaded, it answers this path itself.
    const cfg = readFileSync(lb1Cfg(), 'utf8');
    expect(cfg).toContain('  stats uri /stats\n');
    writeFileSync(lb1Cfg(), cfg.replace('  stats uri /stats\n', '  stats uri /stats\n  http-request return status 200 content-type text/plain string "config v2" if { path /baton-config }\n'));
    expect(states('haproxy-cfg')).toEqual({ lb2: 'drifted' });

    const apply = baton('sync', 'apply', 'haproxy-cfg', '--yes', '--json');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(sha(lb2Cfg())).toBe(sha(lb1Cfg()));
    expect(states('haproxy-cfg')).toEqual({ lb2: 'in-sync' });
    // The master's reload forks a new worker; the old one finishes what it serves, then goes.
    await waitFor(() => probe('127.0.3.251') === 'config v2', 5000, 'lb2 answering from the new file');
    expect(workerPid()).not.toBe(pid);
    expect(socat(join(lab.dir, 'haproxy-lb2', 'master.sock'), 'show proc')).toMatch(/master\s+1 \[failed: 0\]/);
    // lb1 read nothing new: the file changed there, its HAProxy was not reloaded.
    expect(probe('127.0.3.6')).not.toBe('config v2');
  });
});
