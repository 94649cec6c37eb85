// The shipped drills pass headless on a real lab (the built CLI's
// `baton drill run ... --yes --json`), with figures in plausible ranges and
// the lab restored, checked with the real tools; ^C mid-drill restores; a
// drill over its budget exits 2 and its report names the figure. One lab for
// the whole file. Needs `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATON_CLI, startTestLab, type TestLab } from '../../helpers/lab.js';
import { waitFor } from '../../helpers/wait-for.js';

const isRoot = process.getuid?.() === 0;
const REPO = join(import.meta.dirname, '../../..');
const FIXTURES = join(REPO, 'test/fixtures/drills');
let lab: TestLab;
let state: string;

interface Figures {
  drill: string;
  id: string;
  passed: boolean;
  detectionMs: number | null;
  rtoMs: number | null;
  longestOutageMs: number | null;
  requests: { ok: number; fail: number; unknown: number; slow: number };
  conditions: { name: string; metAtMs: number | null }[];
  restored: boolean;
  aborted: string | null;
  exceeded: { figure: string }[];
}

const args = (file: string) => [BATON_CLI, 'drill', 'run', file, '-i', lab.files.inventory, '--yes', '--interval', '1', '--json'];
const env = () => ({ ...process.env, XDG_STATE_HOME: state });

function drill(file: string): { code: number | null; figures: Figures; stderr: string } {
  const r = spawnSync(process.execPath, args(file), { encoding: 'utf8', timeout: 150_000, env: env(), cwd: REPO });
  if (!r.stdout.trim().startsWith('{')) throw new Error(`drill ${file}: exit ${r.status}\n${r.stderr}`);
  return { code: r.status, figures: JSON.parse(r.stdout) as Figures, stderr: r.stderr };
}

/** web2's status in HAProxy's own `show stat`. */
function haproxyStatus(server: string): string {
  const r = spawnSync('socat', ['-', `UNIX-CONNECT:${join(lab.dir, 'haproxy', 'admin.sock')}`], { input: 'show stat\n', encoding: 'utf8' });
  return r.stdout.split('\n').find((l) => l.startsWith(`web,${server},`))?.split(',')[17] ?? '';
}

const failedNow = () => lab.status().components.flatMap((c) => c.failed);

describe('drills on the lab', () => {
  beforeAll(async () => {
    lab = await startTestLab();
    state = mkdtempSync(join(tmpdir(), 'baton-drill-state-'));
  }, 120_000);
  afterAll(async () => {
    await lab?.down();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  it('lab-web-app: web2 dies, requests fail or time out until HAProxy marks it DOWN, then none; restored UP', () => {
    const { code, figures } = drill('drills/lab-web-app.yaml');
    expect(figures).toMatchObject({ drill: 'lab-web-app', passed: true, restored: true, aborted: null });
    expect(code).toBe(0);
    expect(figures.detectionMs).toBeGreaterThan(0);
    expect(figures.detectionMs).toBeLessThan(8000);
    expect(figures.requests.fail + figures.requests.unknown).toBeGreaterThan(0);
    expect(figures.requests.ok).toBeGreaterThan(100);
    expect(figures.rtoMs).toBeLessThan(10_000);
    expect(figures.conditions.map((c) => c.metAtMs !== null)).toEqual([true, true, true]);
    expect(haproxyStatus('web2')).toBe('UP');
    expect(failedNow()).toEqual([]);
  }, 60_000);

  it.skipIf(!isRoot)('lab-pacemaker-node: the node running web-group crashes; the VIP answers from another; the node rejoins', () => {
    const { code, figures } = drill('drills/lab-pacemaker-node.yaml');
    expect(figures).toMatchObject({ passed: true, restored: true });
    expect(code).toBe(0);
    expect(figures.detectionMs).toBeGreaterThan(0);
    expect(figures.rtoMs).toBeGreaterThan(0);
    expect(figures.rtoMs).toBeLessThan(20_000);
    expect(figures.longestOutageMs).toBeGreaterThan(500);
    const mon = lab.ssh('web1', 'crm_mon --output-as=xml');
    expect(mon.status).toBe(0);
    expect([...mon.stdout.matchAll(/<node name="(node\d)"[^>]*online="(\w+)"/g)].map((m) => [m[1], m[2]])).toEqual([['node1', 'true'], ['node2', 'true'], ['node3', 'true']]);
    expect(spawnSync('curl', ['-s', '-m', '2', 'http://10.250.3.100/'], { encoding: 'utf8' }).stdout).toMatch(/^served by node\d/);
    expect(failedNow()).toEqual([]);
  }, 90_000);

  it('lab-etcd-leader: a new leader, the put-loop writes resume; every member healthy after restore', () => {
    const { code, figures } = drill('drills/lab-etcd-leader.yaml');
    expect(figures).toMatchObject({ passed: true, restored: true });
    expect(code).toBe(0);
    expect(figures.detectionMs).toBeLessThan(8000);
    expect(figures.rtoMs).toBeLessThan(10_000);
    const endpoints = 'http://127.0.3.4:2379,http://127.0.3.5:2379,http://127.0.3.6:2379';
    const health = spawnSync('etcdctl', ['--endpoints', endpoints, 'endpoint', 'health'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
    expect(health.status).toBe(0);
    expect(`${health.stdout}${health.stderr}`.match(/is healthy/g)).toHaveLength(3);
    const put = spawnSync('etcdctl', ['--endpoints', endpoints, 'get', '--print-value-only', 'baton-drill/put-loop'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
    expect(Number(put.stdout.trim())).toBeGreaterThan(50);
    expect(failedNow()).toEqual([]);
  }, 60_000);

  it('lab-queue-consumers: the backlog alert is raised, and clears once the consumers run again', () => {
    const { code, figures } = drill('drills/lab-queue-consumers.yaml');
    expect(figures).toMatchObject({ passed: true, restored: true });
    expect(code).toBe(0);
    expect(figures.requests.fail + figures.requests.unknown).toBe(0);
    expect(figures.detectionMs).toBeGreaterThan(0);
    expect(figures.conditions.every((c) => c.metAtMs !== null)).toBe(true);
    expect(spawnSync('redis-cli', ['-h', '127.0.3.5', 'PING'], { encoding: 'utf8' }).stdout.trim()).toBe('PONG');
    expect(lab.status().components.find((c) => c.name === 'broker')?.detail).toMatch(/consumers running/);
    expect(failedNow()).toEqual([]);
  }, 60_000);

  it('^C after the injection aborts the drill and runs the restore: exit 2, web2 back', async () => {
    const child = spawn(process.execPath, args(join(FIXTURES, 'web-app-long.yaml')), { env: env(), cwd: REPO });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => failedNow().includes('app:web2') || undefined, 20_000, 'the drill injecting app:web2');
    child.kill('SIGINT');
    expect(await code).toBe(2);
    const figures = JSON.parse(stdout) as Figures;
    expect(figures).toMatchObject({ passed: false, restored: true, aborted: 'interrupted (^C)' });
    expect(figures.conditions[0]!.metAtMs).toBeNull();
    expect(failedNow()).toEqual([]);
    await waitFor(() => haproxyStatus('web2') === 'UP' || undefined, 10_000, 'web2 UP again');
  }, 60_000);

  it('a drill over its budget exits 2, and its report says which figure', () => {
    const { code, figures } = drill(join(FIXTURES, 'web-app-tight-budget.yaml'));
    expect(code).toBe(2);
    expect(figures.passed).toBe(false);
    expect(figures.exceeded.map((e) => e.figure).sort()).toEqual(['requests.unknown', 'rtoMs']);
    const report = spawnSync(process.execPath, [BATON_CLI, 'drill', 'report', figures.id], { encoding: 'utf8', env: env() });
    expect(report.status).toBe(2);
    // The drill ends 1 s after its one condition: traffic is not seen back, so the RTO is "never", over any budget.
    expect(report.stdout).toMatch(/^\| RTO \(fault to traffic back above 95 %\) \| (never|[\d.]+ s) \| 0\.00 s \| \*\*EXCEEDED\*\* \|$/m);
    expect(report.stdout).toMatch(/^\| requests unknown \(timed out\) \| [1-9]\d* \| 0 \| \*\*EXCEEDED\*\* \|$/m);
    expect(report.stdout).toMatch(/budget exceeded: rtoMs (never|\d+) > 1/);
    expect(failedNow()).toEqual([]);
  }, 60_000);
});
