// Two `baton exec` processes racing for the same host, as two operators at
// two consoles would: exactly one runs, the other exits 3 naming the holder.
// Once with lock directories on the host, once with etcd leases (a real
// etcd, reached with etcdctl over the same SSH connections).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ensureLabUser } from '../../src/lab/lab-user.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const ETCD = 'http://127.0.32.50:23792';
let fleet: Fleet;
let etcd: ChildProcess | undefined;
let work = '';
const inventories: Record<'dir' | 'etcd', string> = { dir: '', etcd: '' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `args` may end with `-- COMMAND`: the connection options go before it. */
function baton(inventory: string, state: string, ...args: string[]): Promise<Run> {
  const dash = args.indexOf('--');
  const options = ['-i', inventory, '--known-hosts', fleet.knownHostsFile];
  const argv = dash < 0 ? [...args, ...options] : [...args.slice(0, dash), ...options, ...args.slice(dash)];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...argv], { env: { ...process.env, XDG_STATE_HOME: state } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  const loginUser = ensureLabUser();
  fleet = await startFleet({ hosts: 2, firstAddress: '127.0.32.1', loginUser, ids: ['rc01', 'rc02'] });
  work = mkdtempSync(join(tmpdir(), 'baton-race-'));
  const doc = parse(fleet.inventoryYaml()) as { hosts: Record<string, Record<string, unknown>> };
  inventories.dir = join(work, 'dir.yaml');
  writeFileSync(inventories.dir, stringify(doc));
  doc.hosts.rc02 = { ...doc.hosts.rc02, roles: { etcd: { endpoint: ETCD } } };
  inventories.etcd = join(work, 'etcd.yaml');
  writeFileSync(inventories.etcd, stringify(doc));
  const peer = 'http://127.0.32.50:23802';
  etcd = spawn('etcd', ['--name', 'race1', '--data-dir', join(work, 'etcd'), '--listen-client-urls', ETCD, '--advertise-client-urls', ETCD, '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `race1=${peer}`], { stdio: 'ignore' });
}, 60_000);

afterAll(async () => {
  etcd?.kill('SIGKILL');
  await fleet?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(['dir', 'etcd'] as const)('two baton exec racing for rc01 (%s locks)', (backend) => {
  it('exactly one runs; the other exits 3 naming the holder', async () => {
    const inventory = inventories[backend];
    const state = join(work, `state-${backend}`);
    const runs = await Promise.all(['alice', 'bob'].map((who) => baton(inventory, state, 'exec', '--hosts', 'rc01', '--yes', '--', `sleep 2; echo ${who}`)));
    const codes = runs.map((r) => r.code).sort();
    expect(codes, runs.map((r) => r.stderr).join('\n---\n')).toEqual([0, 3]);
    const loser = runs.find((r) => r.code === 3)!;
    expect(loser.stderr).toMatch(/refused: host:rc01 is held by \S+@\S+ \(pid \d+\) since \d\d:\d\d:\d\d: exec "sleep 2; echo (alice|bob)" on rc01/);
    // One journal, the winner's, and its lock record names the backend; the loser was refused before begin.
    const dir = join(state, 'baton', 'journal');
    const journals = readdirSync(dir);
    expect(journals).toHaveLength(1);
    const lock = readFileSync(join(dir, journals[0]!), 'utf8').split('\n').find((l) => l.includes('"t":"lock"'));
    expect(JSON.parse(lock!)).toMatchObject({ backend, keys: ['host:rc01'], ...(backend === 'etcd' ? { token: expect.stringMatching(/^\d+$/) } : {}) });
  }, 90_000);
});
