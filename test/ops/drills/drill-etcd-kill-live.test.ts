// The `etcd_leader_kill` inject itself (not the lab's `lab_fail etcd:leader`):
// three real etcd members on sshd hosts (127.0.15.11-13), each started by the
// hosts' login user; the drill reads the leader from baton's store, sends
// `kill -9` to that member's process on its host over SSH, sees a new leader
// and the put-loop's writes resume; the restore starts the member again on
// `${etcd:leader-host}` (its start script named by the session's variable).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { etcdArgs, etcdMembers, type EtcdMember } from '../../../src/lab/etcd/members.js';
import { ensureLabUser } from '../../../src/lab/lab-user.js';
import { startFleet, type Fleet } from '../../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../../dist/cli/main.js');
const IDS = ['de01', 'de02', 'de03'];
const ADDRESSES = ['127.0.15.11', '127.0.15.12', '127.0.15.13'];
let fleet: Fleet;
let work: string;
let inventory: string;
let members: EtcdMember[];

const pidFile = (m: EtcdMember) => join(work, `${m.name}.pid`);
const startScript = (m: EtcdMember) => join(work, `start-${m.name}`);
const etcdctl = (...args: string[]) =>
  spawnSync('etcdctl', ['--endpoints', members.map((m) => m.clientUrl).join(','), '--command-timeout=2s', ...args], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ETCDCTL_API: '3' } });

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '-i', inventory], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_STATE_HOME: join(work, 'state') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const loginUser = ensureLabUser();
  work = mkdtempSync(join(tmpdir(), 'baton-drill-etcd-'));
  chmodSync(work, 0o777); // the login user's members keep their data and pid files here
  members = etcdMembers(IDS.map((id, i) => ({ id, address: ADDRESSES[i]!, roles: ['etcd'] })));
  for (const m of members) {
    const args = etcdArgs(m, members, { dataDir: join(work, m.name), state: 'new', clusterToken: `drill-etcd-${process.pid}` });
    // What a host's init would run: the pid recorded, then etcd itself (its command line names the member).
    writeFileSync(startScript(m), `#!/bin/sh\necho $$ > ${quote([pidFile(m)])}\nexec ${quote(['etcd', ...args])} >> ${quote([join(work, `${m.name}.log`)])} 2>&1\n`, { mode: 0o755 });
  }
  fleet = await startFleet({
    hosts: 3,
    perProcess: 1,
    addresses: ADDRESSES,
    ids: IDS,
    loginUser,
    sessionEnv: Object.fromEntries(members.map((m, i) => [i, { ETCD_START: startScript(m) }])),
  });
  const hosts = Object.fromEntries(fleet.hosts.map((h, i) => [h.id, { address: h.address, port: h.port, user: fleet.user, identity: fleet.identityFile, roles: { etcd: { endpoint: members[i]!.clientUrl } } }]));
  inventory = join(work, 'inventory.yaml');
  writeFileSync(inventory, stringify({ name: 'etcd-fleet', knownHosts: fleet.knownHostsFile, hosts }));
  for (const id of IDS) expect(spawnSync('ssh', ['-F', fleet.sshConfigFile, id, 'setsid sh "$ETCD_START" </dev/null >/dev/null 2>&1 &'], { timeout: 20_000 }).status).toBe(0);
  await until(() => etcdctl('endpoint', 'health').status === 0, 20_000, 'three healthy members');
}, 90_000);

afterAll(async () => {
  for (const m of members ?? []) {
    const pid = existsSync(pidFile(m)) ? Number(readFileSync(pidFile(m), 'utf8')) : NaN;
    if (pid > 0) spawnSync('kill', ['-KILL', String(pid)]);
  }
  await fleet?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('etcd_leader_kill on real members', () => {
  it('kill -9 of the leader found in baton\'s state: a new leader, writes resume, restore brings it back', () => {
    const leaderBefore = etcdctl('endpoint', 'status', '-w', 'json');
    const status = JSON.parse(leaderBefore.stdout) as Array<{ Endpoint: string; Status: { header: { member_id: number }; leader: number } }>;
    const leaderUrl = status.find((s) => s.Status.header.member_id === s.Status.leader)!.Endpoint;
    const leader = members.find((m) => m.clientUrl === leaderUrl)!;
    const pidBefore = readFileSync(pidFile(leader), 'utf8');

    const file = join(work, 'etcd-kill.yaml');
    writeFileSync(
      file,
      stringify({
        name: 'fleet-etcd-leader',
        traffic: [{ name: 'puts', etcd_put: { endpoints: members.map((m) => m.clientUrl), key: 'baton-drill/put-loop' }, rate: 10, timeout: '1s' }],
        inject: { etcd_leader_kill: {}, settle: '2s', detect: { source: 'etcd' } },
        expect: [
          { name: 'a new leader', etcd: { new_leader: true }, within: '15s' },
          { name: 'writes back', traffic: { probe: 'puts', above: 95 }, within: '15s' },
          { name: 'all healthy after restore', etcd: { healthy: true }, after: 'restore', within: '20s' },
        ],
        restore: [{ command: { host: '${etcd:leader-host}', run: 'setsid sh "$ETCD_START" </dev/null >/dev/null 2>&1 &' } }],
        observe: '1s',
      }),
    );
    const r = baton('drill', 'run', file, '--confirm', 'etcd-fleet', '--json', '--interval', '1');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout) as { passed: boolean; restored: boolean; conditions: Array<{ name: string; metAtMs: number | null }> };
    expect(figures).toMatchObject({ passed: true, restored: true });
    expect(figures.conditions.every((c) => c.metAtMs !== null)).toBe(true);
    // The member the drill killed is the one that led, and it runs again under a new pid.
    expect(readFileSync(pidFile(leader), 'utf8')).not.toBe(pidBefore);
    expect(readFileSync(join(work, `${leader.name}.log`), 'utf8')).toMatch(/started|ready to serve/);
  }, 120_000);
});
