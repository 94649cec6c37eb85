// Rebalance on the lab, end to end with the built CLI: `lab load` makes web2
// overloaded through its own /proc views (read by baton's ordinary host probe
// over SSH), `lab traffic` sends real requests through HAProxy, and
// `baton act rebalance --strategy resource_based` lowers web2's weight on lb1;
// HAProxy's own session counters (stot) show web2's share drop within the
// settle time, and verify reports the band.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLeader, parseEndpointStatus } from '../../src/lab/etcd/endpoint-status.js';
import { adminCommand } from '../../src/lab/haproxy-socket.js';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
const state = mkdtempSync(join(tmpdir(), 'baton-rebalance-state-'));

beforeAll(async () => {
  lab = await startTestLab();
}, 120_000);
afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

const act = (...args: string[]) => spawnSync(process.execPath, [BATON_CLI, 'act', 'rebalance', ...args, '-i', lab.files.inventory, '--json'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_STATE_HOME: state } });

function lab_(...args: string[]): string {
  const r = lab.baton(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** Sessions each web server got over `ms`, from HAProxy's cumulative counters. */
async function sharesOver(ms: number): Promise<Record<string, number>> {
  const socket = join(lab.dir, 'haproxy', 'admin.sock');
  const read = async () => {
    const [header = '', ...rows] = (await adminCommand(socket, 'show stat')).split('\n');
    const cols = header.replace(/^# /, '').split(',');
    const [px, sv, stot] = ['pxname', 'svname', 'stot'].map((c) => cols.indexOf(c));
    return new Map(rows.map((r) => r.split(',')).filter((c) => c[px!] === 'web' && /^web\d$/.test(c[sv!] ?? '')).map((c) => [c[sv!]!, Number(c[stot!])]));
  };
  const before = await read();
  await new Promise((r) => setTimeout(r, ms));
  const after = await read();
  const delta = Object.fromEntries([...after].map(([s, n]) => [s, n - (before.get(s) ?? 0)]));
  const total = Object.values(delta).reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(20);
  return Object.fromEntries(Object.entries(delta).map(([s, n]) => [s, n / total]));
}

describe('lab load and rebalance', () => {
  it('lab load gives one host its own /proc, read over SSH; off gives the real one back', () => {
    expect(lab_('load', 'web2', '90')).toMatch(/web2: load 90%/);
    const cores = Number(lab.ssh('web2', 'grep -c "^cpu[0-9]" /proc/stat').stdout);
    expect(lab.ssh('web2', 'cat /proc/loadavg').stdout.trim().split(/\s+/)[0]).toBe(((cores * 90) / 100).toFixed(2));
    expect(lab.ssh('web2', 'grep MemAvailable /proc/meminfo').stdout).toMatch(/MemAvailable:\s+\d+ kB/);
    expect(lab.ssh('web1', 'cat /proc/loadavg').stdout).not.toBe(lab.ssh('web2', 'cat /proc/loadavg').stdout);
    expect(lab.status().components.find((c) => c.name === 'load')!.detail).toMatch(/lab-provided \/proc\/stat, \/proc\/meminfo, \/proc\/loadavg on web2 90%/);
    lab_('load', 'web2', 'off');
    expect(lab.ssh('web2', 'cat /proc/loadavg').stdout.split(' ')[0]).toBe(lab.ssh('web1', 'cat /proc/loadavg').stdout.split(' ')[0]);
    expect(lab.baton('load', 'web9', '50').stderr).toMatch(/no lab host web9/);
  });

  it('resource_based lowers overloaded web2\'s weight; its measured share drops within the settle time; verify reports the band', async () => {
    for (const [host, load] of Object.entries({ web1: 20, web2: 90, web3: 20, db1: 30, mq1: 30, lb1: 30 })) lab_('load', host, String(load));
    expect(lab_('traffic', '60')).toMatch(/60 req\/s/);
    const even = await sharesOver(3000);
    expect(even.web2).toBeGreaterThan(0.25);

    const planned = act('--strategy', 'resource_based', '--plan');
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { args: { haproxy: { changes: { lb: string; backend: string; server: string; before: number; after: number }[] } } };
    const web2 = plan.args.haproxy.changes.find((c) => c.server === 'web2')!;
    expect(web2).toMatchObject({ lb: 'lb1', backend: 'web' });
    expect(web2.after / web2.before).toBeLessThan(100 * 0.75); // rescaled by 100, then lowered

    const run = act('--strategy', 'resource_based', '--yes', '--settle', '5');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { state: string; verify: string };
    expect(result.state).toBe('ok');
    expect(result.verify).toMatch(/show stat: lb1: .*web2 weight \d+/);
    expect(result.verify).toMatch(/measured shares \(lb1 web over 5 s, [\d.]+ req\/s\): .*web2 \d+% \(predicted \d+%\)/);
    expect(Number(/web2 (\d+)% \(predicted/.exec(result.verify)![1])).toBeLessThan(25);
    expect(result.verify).toMatch(/band: target \d+% ±10: .*outside: .*web2 \d+% over/);

    const after = await sharesOver(3000);
    expect(after.web2).toBeLessThan(0.25);
    expect(after.web2!).toBeLessThan(even.web2!);
    lab_('traffic', 'off');
  }, 120_000);

  it('--lever etcd: a leader on an overloaded host hands the lead to the member on the least loaded host', async () => {
    const members = { db1: '127.0.3.4', mq1: '127.0.3.5', lb1: '127.0.3.6' } as Record<string, string>;
    const endpoints = Object.values(members).map((a) => `http://${a}:2379`).join(',');
    const status = () => parseEndpointStatus(spawnSync('etcdctl', ['--endpoints', endpoints, '--dial-timeout', '1s', '--command-timeout', '2s', 'endpoint', 'status', '-w', 'json'], { encoding: 'utf8', timeout: 10_000 }).stdout);
    const leaderHost = () => {
      const st = status();
      const leader = currentLeader(st);
      const address = st.find((x) => x.memberId === leader?.leaderId)?.endpoint.replace(/^https?:\/\/|:\d+$/g, '');
      return Object.keys(members).find((h) => members[h] === address);
    };
    const from = leaderHost()!;
    expect(from).toBeDefined();
    const [coolest, other] = Object.keys(members).filter((h) => h !== from);
    for (const [host, load] of Object.entries({ web1: 40, web2: 40, web3: 40, [from]: 95, [coolest!]: 15, [other!]: 35 })) lab_('load', host, String(load));

    const run = act('--lever', 'etcd', '--yes');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { state: string; verify: string };
    expect(result.state).toBe('ok');
    expect(result.verify).toMatch(/etcd: \S+ leads \(term \d+\)/);
    expect(result.verify).toMatch(new RegExp(`band: .*outside: .*${from} 95% over`));
    expect(leaderHost()).toBe(coolest);
  }, 60_000);
});
