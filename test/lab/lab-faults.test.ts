// Every kind of `baton lab fail`/`heal`, checked with the real tool an
// operator would use: ssh, HAProxy's `show stat` on its admin socket,
// `etcdctl endpoint status`, `crm_mon --output-as=xml` (over SSH, through the
// CIB_file the host's sessions get) and `redis-cli`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLeader, parseEndpointStatus } from '../../src/lab/etcd/endpoint-status.js';
import { serverStates } from '../../src/lab/haproxy-socket.js';
import { startTestLab, type TestLab } from '../helpers/lab.js';
import { waitFor } from '../helpers/wait-for.js';

let lab: TestLab;

beforeAll(async () => {
  lab = await startTestLab();
}, 60_000);
afterAll(async () => {
  await lab?.down();
});

function act(verb: 'fail' | 'heal', target: string): string {
  const r = lab.baton(verb, target);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const failedTargets = () => lab.status().components.flatMap((c) => c.failed);

describe('baton lab fail / heal', () => {
  it('host: its sshd stops, so ssh is refused there and only there, until healed', () => {
    expect(lab.ssh('web3', 'true').status).toBe(0);
    act('fail', 'host:web3');
    const refused = lab.ssh('web3', 'true');
    expect(refused.status).toBe(255);
    expect(refused.stderr).toMatch(/Connection refused/);
    expect(lab.ssh('web1', 'true').status).toBe(0);
    expect(failedTargets()).toEqual(['host:web3']);
    act('heal', 'host:web3');
    expect(lab.ssh('web3', 'echo back').stdout).toBe('back\n'); // same host key: strict checking passes
    expect(failedTargets()).toEqual([]);
  });

  it('app: HAProxy health checks mark the server DOWN, then UP again', async () => {
    const showStat = () => {
      const r = spawnSync('socat', ['-', `UNIX-CONNECT:${join(lab.dir, 'haproxy', 'admin.sock')}`], { input: 'show stat\n', encoding: 'utf8', timeout: 5000 });
      return serverStates(r.stdout).get('web/web2');
    };
    expect(showStat()).toBe('UP');
    act('fail', 'app:web2');
    await waitFor(() => showStat() === 'DOWN', 10_000, 'web2 DOWN in show stat');
    expect(failedTargets()).toEqual(['app:web2']);
    act('heal', 'app:web2');
    await waitFor(() => showStat() === 'UP', 10_000, 'web2 UP in show stat');
  });

  it('etcd leader: killed, the others elect a new one; healed, it rejoins', async () => {
    const endpoints = ['127.0.3.4', '127.0.3.5', '127.0.3.6'].map((a) => `http://${a}:2379`).join(',');
    const status = () => {
      const r = spawnSync('etcdctl', ['--endpoints', endpoints, '--dial-timeout', '1s', '--command-timeout', '2s', 'endpoint', 'status', '-w', 'json'], { encoding: 'utf8', timeout: 10_000 });
      return r.stdout.trim() ? parseEndpointStatus(r.stdout) : [];
    };
    const before = currentLeader(status());
    expect(before).toBeDefined();
    const oldLeader = status().find((s) => s.memberId === before?.leaderId)?.endpoint;
    act('fail', 'etcd:leader');
    const after = await waitFor(() => {
      const st = status();
      const leader = currentLeader(st);
      return st.length === 2 && leader && leader.leaderId !== before?.leaderId ? st : undefined;
    }, 15_000, 'a new etcd leader among the 2 left');
    expect(after.map((s) => s.endpoint)).not.toContain(oldLeader);
    act('heal', 'etcd:leader');
    await waitFor(() => status().length === 3, 15_000, 'all 3 etcd members answering');
  });

  it('pacemaker node: crm_mon on a cluster host shows it offline, then online', async () => {
    const online = () => {
      const r = lab.ssh('web1', 'crm_mon --output-as=xml');
      const node = /<node name="node2"[^>]*>/.exec(r.stdout)?.[0] ?? '';
      return /online="true"/.test(node) ? 'online' : /online="false"/.test(node) ? 'offline' : `? ${r.stderr}`;
    };
    expect(online()).toBe('online');
    act('fail', 'pacemaker:node2');
    expect(online()).toBe('offline');
    act('heal', 'pacemaker:node2');
    await waitFor(() => online() === 'online', 10_000, 'node2 online');
  });

  it('queue consumers: the jobs backlog grows while they are stopped and drains after', async () => {
    const depth = () => Number(spawnSync('redis-cli', ['-h', '127.0.3.5', '-p', '6379', 'LLEN', 'jobs'], { encoding: 'utf8', timeout: 5000 }).stdout.trim());
    act('fail', 'queue:consumers');
    const start = depth();
    await waitFor(() => depth() >= start + 10, 10_000, 'jobs to grow by 10');
    const peak = depth();
    act('heal', 'queue:consumers');
    await waitFor(() => depth() < peak, 15_000, 'jobs to drain');
  });
});
