// The action commands of the built CLI against real sshd hosts (one of them
// dead): every exec strategy, all-or-nothing's undo on exactly the hosts
// that succeeded, copy/fetch/kill round trips, SIGKILL in the middle of a
// run then resume, and hostile arguments that stay inert.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLabUser } from '../../src/lab/lab-user.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { processesMentioning } from '../helpers/processes.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const SLEEP_MARK = '29.4517';
let fleet: Fleet;
let inventory: string;
let work: string;
let env: NodeJS.ProcessEnv;
/** The hosts log in as the lab user (plain /bin/sh, no dotfiles) when we are root. */
let loginUser: string | undefined;

/** A directory the login user may write in, as a host's own directory would be. */
function shared(path: string): string {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o777);
  return path;
}

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const conn = () => ['-i', inventory, '--known-hosts', fleet.knownHostsFile];
/** The sshd address a session landed on: each fleet host has its own. */
const ADDR = `"$(echo "$SSH_CONNECTION" | cut -d' ' -f3)"`;

type JsonHost = { host: string; state: string; rc: number | null; stdout: string };
const states = (stdout: string) => Object.fromEntries((JSON.parse(stdout) as { hosts: JsonHost[] }).hosts.map((h) => [h.host, h.state]));

beforeAll(async () => {
  loginUser = ensureLabUser();
  fleet = await startFleet({ hosts: 4, perProcess: 1, firstAddress: '127.0.45.1', loginUser });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  work = shared(mkdtempSync(join(tmpdir(), 'baton-actions-')));
  env = { ...process.env, XDG_STATE_HOME: join(work, 'state') };
  await fleet.kill(3); // h004 is dead for the whole file
}, 60_000);

afterAll(async () => {
  for (const line of processesMentioning(SLEEP_MARK)) process.kill(Number(line.split(':')[0]), 'SIGKILL');
  await fleet?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('baton exec strategies (h002 fails, h004 is dead)', () => {
  const failOn2 = `case ${ADDR} in 127.0.45.2) echo no; exit 1;; esac; echo yes`;

  it('all: each host reported, the dead one failed (not sent), exit 2; output grouped like clush -b', () => {
    const r = baton('exec', ...conn(), '--yes', '--', failOn2);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/h\[001,003\] \(2: rc 0\)\n-+\nyes\n/);
    expect(r.stdout).toMatch(/h002 \(1: rc 1, exit code 1\)/);
    expect(r.stdout).toMatch(/h004 \(1: failed, not sent: .*refused/);
    expect(r.stderr).toMatch(/\[\d\/4\] .* ok +h001 rc 0/);
    const j = baton('exec', ...conn(), '--yes', '--json', '--', failOn2);
    expect(states(j.stdout)).toEqual({ h001: 'ok', h002: 'failed', h003: 'ok', h004: 'failed' });
  });

  it('first-success: the first ok host ends it, the rest are cancelled, exit 0', () => {
    const r = baton('exec', ...conn(), '--yes', '--json', '--parallel', '1', '--strategy', 'first-success', '--', failOn2);
    expect(r.code).toBe(0);
    expect(states(r.stdout)).toEqual({ h001: 'ok', h002: 'cancelled', h003: 'cancelled', h004: 'cancelled' });
  });

  it('majority: 2 of 4 ok is not more than half: exit 2; 3 of 4 is', () => {
    expect(baton('exec', ...conn(), '--yes', '--json', '--strategy', 'majority', '--', failOn2).code).toBe(2);
    expect(baton('exec', ...conn(), '--yes', '--json', '--strategy', 'majority', '--hosts', '!h004', '--', failOn2).code).toBe(0);
  });

  it('all-or-nothing: the undo runs on exactly the hosts that succeeded', () => {
    const marks = shared(join(work, 'undo'));
    const r = baton('exec', ...conn(), '--yes', '--json', '--strategy', 'all-or-nothing', '--undo', `touch ${marks}/${ADDR}`, '--', failOn2);
    expect(r.code).toBe(2);
    expect(readdirSync(marks).sort()).toEqual(['127.0.45.1', '127.0.45.3']);
    const out = JSON.parse(r.stdout) as { state: string; undo: { host: string; state: string }[] };
    expect(out.undo.map((u) => u.host).sort()).toEqual(['h001', 'h003']);
    expect(out.state).toBe('rolled-back');
  });

  it('refuses a command with a newline (exit 1), and runs a hostile one as one quoted word', () => {
    expect(baton('exec', ...conn(), '--yes', '--', 'echo a\necho b').code).toBe(1);
    const pwned = join(work, 'pwned');
    const r = baton('exec', ...conn(), '--yes', '--hosts', 'h001', '--', 'echo', `'x; touch ${pwned}'`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`x; touch ${pwned}`);
    expect(existsSync(pwned)).toBe(false);
  });
});

describe('copy, fetch, kill', () => {
  it('copy writes the file atomically with its mode, --backup keeps the old one, verify by sha256', () => {
    const local = join(work, 'app.conf');
    writeFileSync(local, 'v1\n', { mode: 0o640 });
    shared(join(work, 'remote'));
    const remote = join(work, 'remote', 'weird name; touch pwned');
    expect(baton('copy', ...conn(), '--yes', '--hosts', 'h00[1-3]', local, remote).code).toBe(0);
    expect(readFileSync(remote, 'utf8')).toBe('v1\n');
    expect(statSync(remote).mode & 0o777).toBe(0o640);
    writeFileSync(local, 'v2\n');
    const r = baton('copy', ...conn(), '--yes', '--json', '--hosts', 'h001', '--backup', local, remote);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'ok', verify: expect.stringContaining('1/1 hosts: sha256 matches') });
    const names = readdirSync(join(work, 'remote')).sort();
    expect(names).toHaveLength(2);
    expect(readFileSync(join(work, 'remote', names.find((n) => n.includes('.baton-bak-'))!), 'utf8')).toBe('v1\n');
    expect(existsSync(join(work, 'remote', 'pwned'))).toBe(false);
  });

  it('fetch puts one copy per host under LOCALDIR/HOST/', () => {
    const src = join(work, 'motd');
    writeFileSync(src, 'hello\n');
    const out = join(work, 'fetched'); // written here, by baton
    const r = baton('fetch', ...conn(), '--yes', '--hosts', '!h004', src, out);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['h001', 'h002', 'h003']);
    expect(readFileSync(join(out, 'h002', 'motd'), 'utf8')).toBe('hello\n');
  });

  it('kill lists the matching processes in the plan, signals them, and verifies they are gone', async () => {
    const uid = loginUser ? Number(execFileSync('id', ['-u', loginUser], { encoding: 'utf8' })) : undefined;
    const victim = spawn('sleep', [`${SLEEP_MARK}1`], { detached: true, stdio: 'ignore', uid });
    await new Promise((r) => setTimeout(r, 100));
    // Every "host" is this machine: the pattern must not match baton's own argv here.
    const pattern = `sleep [${SLEEP_MARK[0]}]${SLEEP_MARK.slice(1)}1`;
    const plan = baton('kill', ...conn(), '--plan', '--hosts', 'h001', pattern);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`pid ${victim.pid}: sleep ${SLEEP_MARK}1 -> SIGTERM`);
    expect(plan.stdout.match(/pid \d+/g)).toHaveLength(1);
    const r = baton('kill', ...conn(), '--yes', '--hosts', 'h001', pattern);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kill \S+: ok \(1\/1 hosts: signalled processes gone\)/);
    const pwned = join(work, 'pwned-kill');
    expect(baton('kill', ...conn(), '--yes', '--hosts', 'h001', `x; touch ${pwned}`).code).toBe(3);
    expect(existsSync(pwned)).toBe(false);
  });
});

describe('SIGKILL in the middle of baton exec, then resume', () => {
  it('the journal shows the run interrupted with the hosts done; resume finishes only the rest', async () => {
    const log = shared(join(work, 'ran'));
    const go = join(work, 'go');
    const command = `echo x >>${log}/${ADDR}; case ${ADDR} in 127.0.45.1) exit 0;; esac; [ -e ${go} ] || sleep ${SLEEP_MARK}`;
    const child = spawn(process.execPath, [CLI, 'exec', ...conn(), '--yes', '--hosts', '!h004', '--', command], { env, stdio: 'ignore' });
    const journal = join(work, 'state/baton/journal');
    const deadline = Date.now() + 15_000;
    const h001Done = () => existsSync(journal) && readdirSync(journal).some((f) => /"step":"exec:h001".*"outcome":"ok"/.test(readFileSync(join(journal, f), 'utf8')));
    while (!h001Done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const [interrupted] = (JSON.parse(baton('history', '--json').stdout) as { id: string; state: string; title: string; hostsDone: string[] }[]).filter((a) => a.title.includes(log));
    expect(interrupted).toMatchObject({ state: 'interrupted', hostsDone: ['h001'] });
    expect(baton('history').stdout).toContain(`baton resume ${interrupted!.id}`);

    writeFileSync(go, '');
    const r = baton('resume', ...conn(), interrupted!.id.slice(0, 22));
    expect(r.code).toBe(0);
    const lines = (addr: string) => readFileSync(join(log, addr), 'utf8').split('\n').filter(Boolean).length;
    expect([lines('127.0.45.1'), lines('127.0.45.2'), lines('127.0.45.3')]).toEqual([1, 2, 2]);
    const [after] = (JSON.parse(baton('history', '--json').stdout) as { state: string; title: string; hostsDone: string[] }[]).filter((a) => a.title.includes(log));
    expect(after).toMatchObject({ state: 'ok', hostsDone: ['h001', 'h002', 'h003'] });
  }, 120_000);
});
