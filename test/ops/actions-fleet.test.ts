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
  // Ids of our own: lock directories (/tmp/baton-locks) are per machine, and other fleets use h001...
  fleet = await startFleet({ hosts: 4, perProcess: 1, firstAddress: '127.0.45.1', loginUser, ids: ['ax01', 'ax02', 'ax03', 'ax04'] });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  work = shared(mkdtempSync(join(tmpdir(), 'baton-actions-')));
  env = { ...process.env, XDG_STATE_HOME: join(work, 'state') };
  await fleet.kill(3); // ax04 is dead for the whole file
}, 60_000);

afterAll(async () => {
  for (const line of processesMentioning(SLEEP_MARK)) process.kill(Number(line.split(':')[0]), 'SIGKILL');
  await fleet?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('baton exec strategies (ax02 fails, ax04 is dead)', () => {
  const failOn2 = `case ${ADDR} in 127.0.45.2) echo no; exit 1;; esac; echo yes`;

  it('all: each host reported, the dead one failed (not sent), exit 2; output grouped like clush -b', () => {
    const r = baton('exec', ...conn(), '--yes', '--', failOn2);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/ax\[01,03\] \(2: rc 0\)\n-+\nyes\n/);
    expect(r.stdout).toMatch(/ax02 \(1: rc 1, exit code 1\)/);
    expect(r.stdout).toMatch(/ax04 \(1: failed, not sent: .*refused/);
    expect(r.stderr).toMatch(/\[\d\/4\] .* ok +ax01 rc 0/);
    const j = baton('exec', ...conn(), '--yes', '--json', '--', failOn2);
    expect(states(j.stdout)).toEqual({ ax01: 'ok', ax02: 'failed', ax03: 'ok', ax04: 'failed' });
  });

  it('first-success: the first ok host ends it, the rest are cancelled, exit 0', () => {
    const r = baton('exec', ...conn(), '--yes', '--json', '--parallel', '1', '--strategy', 'first-success', '--', failOn2);
    expect(r.code).toBe(0);
    expect(states(r.stdout)).toEqual({ ax01: 'ok', ax02: 'cancelled', ax03: 'cancelled', ax04: 'cancelled' });
  });

  it('majority: 2 of 4 ok is not more than half: exit 2; 3 of 4 is', () => {
    expect(baton('exec', ...conn(), '--yes', '--json', '--strategy', 'majority', '--', failOn2).code).toBe(2);
    expect(baton('exec', ...conn(), '--yes', '--json', '--strategy', 'majority', '--hosts', '!ax04', '--', failOn2).code).toBe(0);
  });

  it('all-or-nothing: the undo runs on exactly the hosts that succeeded', () => {
    const marks = shared(join(work, 'undo'));
    const r = baton('exec', ...conn(), '--yes', '--json', '--strategy', 'all-or-nothing', '--undo', `touch ${marks}/${ADDR}`, '--', failOn2);
    expect(r.code).toBe(2);
    expect(readdirSync(marks).sort()).toEqual(['127.0.45.1', '127.0.45.3']);
    const out = JSON.parse(r.stdout) as { state: string; undo: { host: string; state: string }[] };
    expect(out.undo.map((u) => u.host).sort()).toEqual(['ax01', 'ax03']);
    expect(out.state).toBe('rolled-back');
  });

  it('refuses a command with a newline (exit 1), and runs a hostile one as one quoted word', () => {
    expect(baton('exec', ...conn(), '--yes', '--', 'echo a\necho b').code).toBe(1);
    const pwned = join(work, 'pwned');
    const r = baton('exec', ...conn(), '--yes', '--hosts', 'ax01', '--', 'echo', `'x; touch ${pwned}'`);
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
    expect(baton('copy', ...conn(), '--yes', '--hosts', 'ax0[1-3]', local, remote).code).toBe(0);
    expect(readFileSync(remote, 'utf8')).toBe('v1\n');
    expect(statSync(remote).mode & 0o777).toBe(0o640);
    writeFileSync(local, 'v2\n');
    const r = baton('copy', ...conn(), '--yes', '--json', '--hosts', 'ax01', '--backup', local, remote);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'ok', verify: expect.stringContaining('1/1 hosts: sha256 matches') });
    const names = readdirSync(join(work, 'remote')).sort();
    expect(names).toHaveLength(2);
    expect(readFileSync(join(work, 'remote', names.find((n) => n.includes('.baton-bak-'))!), 'utf8')).toBe('v1\n');
    expect(existsSync(join(work, 'remote', 'pwned'))).toBe(false);
    // Undone and verified is what `baton rollback` was asked for: exit 0.
    const back = baton('rollback', ...conn(), '--json', (JSON.parse(r.stdout) as { id: string }).id);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ state: 'rolled-back' });
    expect(readFileSync(remote, 'utf8')).toBe('v1\n');
  });

  it('fetch puts one copy per host under LOCALDIR/HOST/', () => {
    const src = join(work, 'motd');
    writeFileSync(src, 'hello\n');
    const out = join(work, 'fetched'); // written here, by baton
    const r = baton('fetch', ...conn(), '--yes', '--hosts', '!ax04', src, out);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['ax01', 'ax02', 'ax03']);
    expect(readFileSync(join(out, 'ax02', 'motd'), 'utf8')).toBe('hello\n');
  });

  it('kill lists the matching processes in the plan, signals them, and verifies they are gone', async () => {
    const uid = loginUser ? Number(execFileSync('id', ['-u', loginUser], { encoding: 'utf8' })) : undefined;
    const victim = spawn('sleep', [`${SLEEP_MARK}1`], { detached: true, stdio: 'ignore', uid });
    await new Promise((r) => setTimeout(r, 100));
    // Every "host" is this machine: the pattern must not match baton's own argv here.
    const pattern = `sleep [${SLEEP_MARK[0]}]${SLEEP_MARK.slice(1)}1`;
    const plan = baton('kill', ...conn(), '--plan', '--hosts', 'ax01', pattern);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`pid ${victim.pid}: sleep ${SLEEP_MARK}1 -> SIGTERM`);
    expect(plan.stdout.match(/pid \d+/g)).toHaveLength(1);
    const r = baton('kill', ...conn(), '--yes', '--hosts', 'ax01', pattern);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kill \S+: ok \(1\/1 hosts: signalled processes gone\)/);
    const pwned = join(work, 'pwned-kill');
    expect(baton('kill', ...conn(), '--yes', '--hosts', 'ax01', `[x]; touch ${pwned}`).code).toBe(3);
    expect(existsSync(pwned)).toBe(false);
  });
});

describe('SIGKILL in the middle of baton exec, then resume', () => {
  it('the journal shows the run interrupted with the hosts done; resume finishes only the rest', async () => {
    const log = shared(join(work, 'ran'));
    const go = join(work, 'go');
    const command = `echo x >>${log}/${ADDR}; case ${ADDR} in 127.0.45.1) exit 0;; esac; [ -e ${go} ] || sleep ${SLEEP_MARK}`;
    const child = spawn(process.execPath, [CLI, 'exec', ...conn(), '--yes', '--hosts', '!ax04', '--', command], { env, stdio: 'ignore' });
    const journal = join(work, 'state/baton/journal');
    const deadline = Date.now() + 60_000;
    const ax01Done = () => existsSync(journal) && readdirSync(journal).some((f) => {
        const text = readFileSync(join(journal, f), 'utf8');
        return text.includes(log) && /"step":"exec:ax01".*"outcome":"ok"/.test(text);
      });
    while (!ax01Done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const [interrupted] = (JSON.parse(baton('history', '--json').stdout) as { id: string; state: string; title: string; hostsDone: string[] }[]).filter((a) => a.title.includes(log));
    expect(interrupted).toMatchObject({ state: 'interrupted', hostsDone: ['ax01'] });
    expect(baton('history').stdout).toContain(`baton resume ${interrupted!.id}`);

    const lines = (addr: string) => (existsSync(join(log, addr)) ? readFileSync(join(log, addr), 'utf8').split('\n').filter(Boolean).length : 0);
    const addrs = ['127.0.45.1', '127.0.45.2', '127.0.45.3'];
    const before = addrs.map(lines);
    expect(before[0]).toBe(1);
    writeFileSync(go, '');
    const r = baton('resume', ...conn(), interrupted!.id.slice(0, 22));
    expect(r.code).toBe(0);
    // ax01 was journaled ok: not run again; the other two run once more.
    expect(addrs.map(lines)).toEqual([1, before[1]! + 1, before[2]! + 1]);
    const [after] = (JSON.parse(baton('history', '--json').stdout) as { state: string; title: string; hostsDone: string[] }[]).filter((a) => a.title.includes(log));
    expect(after).toMatchObject({ state: 'ok', hostsDone: ['ax01', 'ax02', 'ax03'] });
  }, 120_000);
});
