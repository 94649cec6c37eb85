// `baton lab up | status | down` as a user runs them (the built CLI, a real
// detached supervisor): everything comes up healthy within the limits, the
// console's inventory works as written, and down leaves nothing behind.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labProcesses, labSockets } from '../../src/lab/leftovers.js';
import { DEFAULT_LAB_HOSTS } from '../../src/lab/layout.js';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';

const COMPONENTS = ['hosts', 'pacemaker', 'apps', 'haproxy', 'nginx', 'etcd', 'broker', 'devices', 'load', 'traffic'];
let lab: TestLab;

beforeAll(async () => {
  lab = await startTestLab();
}, 60_000);
afterAll(async () => {
  await lab?.down();
});

describe('baton lab', () => {
  it('comes up in under 20 s and 1 GiB with every component healthy', () => {
    const st = lab.status();
    expect(st.components.map((c) => [c.name, c.healthy, c.failed])).toEqual(COMPONENTS.map((n) => [n, true, []]));
    console.log(`lab up: ${lab.upMs} ms (supervisor ready after ${st.startMs} ms); ${Math.round(st.memory.pssBytes / 2 ** 20)} MiB PSS, ${Math.round(st.memory.rssBytes / 2 ** 20)} MiB RSS in ${st.memory.processes} processes`);
    expect(lab.upMs).toBeLessThan(20_000);
    expect(st.memory.pssBytes).toBeGreaterThan(0);
    expect(st.memory.pssBytes).toBeLessThan(2 ** 30);
    expect(lab.upOutput).toContain(`baton -i ${lab.files.inventory}`);
  });

  it('says so when started twice', () => {
    const again = lab.baton('up');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already running/);
  });

  it('gives each host its own sshd, host key and deploy root, for commands and for a long-lived shell', () => {
    const one = lab.ssh('web1', 'echo "$SSH_CONNECTION"; cat "$BATON_DEPLOY_ROOT/current/version"; ls "$BATON_DEPLOY_ROOT/bin"');
    expect(one.stderr).toBe('');
    expect(one.stdout.split('\n').slice(0, 6)).toEqual([expect.stringMatching(/ 127\.0\.3\.1 /), 'v1', 'app-restart', 'app-start', 'app-status', 'app-stop']);
    // baton's transport opens `exec /bin/sh` and writes commands into it.
    const shell = lab.ssh('web2', 'exec /bin/sh', 'cd "$BATON_DEPLOY_ROOT" && cat current/version && ./bin/app-status\nexit\n');
    expect(shell.stdout).toMatch(/^v1\nweb2: running \(pid \d+\), release v1/);
    const db1 = lab.ssh('db1', 'ls -A "$BATON_DEPLOY_ROOT" | wc -l');
    expect(db1.stdout.trim()).toBe('0'); // an area of its own: db1 runs no web app
    if (process.getuid?.() === 0) expect(lab.ssh('web3', 'id -un; echo $BATON_DEPLOY_ROOT').stdout).toBe('baton-lab\n/srv/baton\n');
    const fingerprints = spawnSync('ssh-keygen', ['-l', '-f', lab.files.knownHosts], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(new Set(fingerprints.map((l) => l.split(' ')[1])).size).toBe(DEFAULT_LAB_HOSTS.length);
  });

  it('writes an inventory baton opens as is: every host up through the lab key and known_hosts', () => {
    const r = spawnSync(process.execPath, [BATON_CLI, '--once', '--json', '-i', lab.files.inventory], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const snap = JSON.parse(r.stdout) as { summary: unknown; hosts: Array<{ id: string; state: string }> };
    expect(snap.summary).toEqual({ hosts: DEFAULT_LAB_HOSTS.length, up: DEFAULT_LAB_HOSTS.length });
  });

  it('goes down leaving no process and no socket', () => {
    const down = lab.baton('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/nothing left running/);
    expect(labProcesses(lab.dir)).toEqual([]);
    expect(labSockets(lab.dir)).toEqual([]);
    const status = lab.baton('status');
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('the lab is not running; start it with: baton lab up');
  });
});
