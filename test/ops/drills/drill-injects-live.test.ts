// Drill injects on real hosts outside the lab (sshd fleet hosts on
// 127.0.15.x, logged in as the lab user): a kill by pattern takes a real TCP
// service down under real traffic and the restore starts it again; a drill
// SIGKILLed after its fault leaves a journal that `baton resume` refuses
// (naming the restore) and `baton rollback` restores; `systemctl stop`
// runs the real systemctl on the host (this machine has no systemd: the
// inject fails with its own words and the drill fails, exit 2).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ensureLabUser } from '../../../src/lab/lab-user.js';
import { startFleet, type Fleet } from '../../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../../dist/cli/main.js');
const SERVICE = { address: '127.0.15.1', port: 18081 };
let fleet: Fleet;
let work: string;
let inventory: string;
let env: NodeJS.ProcessEnv;
const pidFile = () => join(work, 'service.pid');

/** The service as its host would start it: a TCP server answering "ok", its pid in a file. */
const startCommand = () =>
  `setsid sh -c 'echo $$ > ${pidFile()}; exec socat TCP-LISTEN:${SERVICE.port},bind=${SERVICE.address},fork,reuseaddr SYSTEM:"echo ok"' </dev/null >/dev/null 2>&1 &`;

function ssh(host: string, command: string) {
  return spawnSync('ssh', ['-F', fleet.sshConfigFile, host, command], { encoding: 'utf8', timeout: 20_000 });
}

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '-i', inventory], { encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const answers = () =>
  new Promise<boolean>((resolve) => {
    const s = connect(SERVICE.port, SERVICE.address, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
  });

/** Polls an async condition (a TCP connect) until it holds; bounded. */
async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function drillFile(name: string, body: Record<string, unknown>): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, stringify({ name, traffic: [{ name: 'svc', tcp: `${SERVICE.address}:${SERVICE.port}`, rate: 10, timeout: '500ms' }], ...body }));
  return file;
}

const killInject = { kill: { host: 'di01', pattern: `socat TCP-LISTEN:${SERVICE.port}`, signal: 'KILL' }, settle: '1s' };
const restart = () => [{ command: { host: 'di01', run: startCommand() } }];

beforeAll(async () => {
  const loginUser = ensureLabUser();
  work = mkdtempSync(join(tmpdir(), 'baton-drill-injects-'));
  chmodSync(work, 0o777); // the login user writes the service's pid file here
  fleet = await startFleet({ hosts: 2, perProcess: 1, firstAddress: '127.0.15.1', loginUser, ids: ['di01', 'di02'] });
  inventory = join(work, 'inventory.yaml');
  const hosts = Object.fromEntries(fleet.hosts.map((h) => [h.id, { address: h.address, port: h.port, user: fleet.user, identity: fleet.identityFile }]));
  writeFileSync(inventory, stringify({ name: 'inject-fleet', knownHosts: fleet.knownHostsFile, hosts }));
  mkdirSync(join(work, 'state'));
  env = { ...process.env, XDG_STATE_HOME: join(work, 'state') };
  expect(ssh('di01', startCommand()).status).toBe(0);
  await until(async () => existsSync(pidFile()) && (await answers()), 5000, 'the service up');
}, 60_000);

afterAll(async () => {
  const pid = existsSync(pidFile()) ? Number(readFileSync(pidFile(), 'utf8')) : NaN;
  if (pid > 0) spawnSync('kill', ['-KILL', String(pid)]);
  await fleet?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('a kill-by-pattern inject on a real host', () => {
  it('takes the service down under traffic; the restore starts it again', async () => {
    const before = readFileSync(pidFile(), 'utf8');
    const file = drillFile('fleet-kill', {
      inject: killInject,
      expect: [
        { name: 'traffic fails', traffic: { probe: 'svc', below: 50, window: '1s' }, within: '5s' },
        { name: 'traffic back', traffic: { probe: 'svc', above: 99, window: '1s' }, after: 'restore', within: '10s' },
      ],
      restore: restart(),
      observe: '1s',
    });
    const r = baton('drill', 'run', file, '--confirm', 'inject-fleet', '--json', '--interval', '1');
    expect(r.code, r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout) as { passed: boolean; restored: boolean; requests: { ok: number; fail: number } };
    expect(figures).toMatchObject({ passed: true, restored: true });
    expect(figures.requests.fail).toBeGreaterThan(0); // refused connections while it was dead
    expect(readFileSync(pidFile(), 'utf8')).not.toBe(before); // a new process: the old one was killed
    expect(await answers()).toBe(true);
  }, 90_000);
});

describe('a drill SIGKILLed after its fault', () => {
  it('leaves a journal that resume refuses (naming the restore) and rollback restores', async () => {
    const file = drillFile('fleet-kill-long', {
      inject: killInject,
      // Never met while the service is dead: the drill waits, and is killed meanwhile.
      expect: [{ name: 'traffic back', traffic: { probe: 'svc', above: 99, window: '1s' }, within: '60s' }],
      restore: restart(),
    });
    const child = spawn(process.execPath, [CLI, 'drill', 'run', file, '--confirm', 'inject-fleet', '--interval', '1', '-i', inventory], { env, stdio: 'ignore' });
    const journals = join(work, 'state', 'baton', 'journal');
    const injected = () => existsSync(journals) && readdirSync(journals).some((f) => /"step":"inject"[^\n]*"outcome":"ok"/.test(readFileSync(join(journals, f), 'utf8')));
    try {
      await until(injected, 30_000, 'the inject journaled ok');
      await until(async () => !(await answers()), 5000, 'the service down');
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const history = JSON.parse(baton('history', '--json').stdout) as Array<{ id: string; action: string; state: string }>;
    const drill = history.find((a) => a.action === 'drill' && a.state === 'interrupted');
    expect(drill).toBeDefined();
    expect(baton('history').stdout).toContain(`baton rollback ${drill!.id} (runs the drill's restore)`);

    const resume = baton('resume', drill!.id);
    expect(resume.code).toBe(3);
    expect(resume.stdout + resume.stderr).toMatch(new RegExp(`a drill is not resumed.*baton rollback ${drill!.id} runs its restore`, 's'));
    expect(await answers()).toBe(false); // resume did nothing

    expect(baton('rollback', drill!.id, '--read-only').code).toBe(3);
    const rollback = baton('rollback', drill!.id);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(/restored \(rolled back\)/);
    await until(answers, 5000, 'the service back');
    const after = JSON.parse(baton('history', '--json').stdout) as Array<{ id: string; state: string }>;
    expect(after.find((a) => a.id === drill!.id)?.state).toBe('rolled-back');
    expect(baton('rollback', drill!.id).code).toBe(3); // nothing left to restore
  }, 120_000);
});

describe('a systemctl stop inject', () => {
  it("runs the host's real systemctl; without systemd it fails in its words and the drill fails", () => {
    const file = drillFile('fleet-systemctl', {
      inject: { systemctl_stop: { host: 'di02', unit: 'baton-drill-test.service' }, settle: '500ms' },
      expect: [{ name: 'traffic fails', traffic: { probe: 'svc', below: 50, window: '1s' }, within: '3s' }],
      observe: '500ms',
    });
    const r = baton('drill', 'run', file, '--confirm', 'inject-fleet', '--json', '--interval', '1');
    expect(r.code).toBe(2);
    const figures = JSON.parse(r.stdout) as { passed: boolean; failures: string[] };
    expect(figures.passed).toBe(false);
    // The real tool's answer reached the report: systemd is not running here (or the unit does not exist).
    expect(figures.failures.join('\n')).toMatch(/systemctl stop baton-drill-test\.service.*(systemd|not found|not loaded|Failed)/s);
  }, 60_000);
});
