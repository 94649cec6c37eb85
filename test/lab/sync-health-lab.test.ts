// A service state as a sync set's health check, on the real lab: lb2 made
// like lb1 with `health: { haproxy: ... }` passes once the reloaded HAProxy
// sees every web server UP; a config whose server has a wrong port is valid
// (haproxy -c passes), is installed and reloaded, and the check fails naming
// that server DOWN; with `serial: [1]` the LB of the next batch is untouched.
// `health: { etcd: healthy }` passes on the whole cluster and fails with its
// leader killed (last: the lab's locks live in that etcd).
// Needs the lab lock:
//   flock /tmp/baton-lab.lock npx vitest run test/lab/sync-health-lab.test.ts
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
let state: string;
let inventory: string;

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [BATON_CLI, ...args, '-i', inventory], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_STATE_HOME: state, XDG_CACHE_HOME: state } });
  return { code: r.status, out: r.stdout + r.stderr };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const cfgOf = (lb: string) => join(lab.dir, 'hosts', lb, 'haproxy', 'haproxy.cfg');
const socat = (socket: string, command: string) => spawnSync('socat', ['-t', '2', '-', `UNIX-CONNECT:${socket}`], { input: `${command}\n`, encoding: 'utf8', timeout: 5000 }).stdout;
const workerPid = (runDir: string) => /^Pid: (\d+)$/m.exec(socat(join(lab.dir, runDir, 'admin.sock'), 'show info'))?.[1];

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), 'baton-sync-health-'));
  lab = await startTestLab();
  // The lab's inventory with the sets' health a service state, and a set over both LBs in batches of one.
  const doc = parseDocument(readFileSync(lab.files.inventory, 'utf8'));
  const haproxyCfg = doc.getIn(['sync', 'haproxy-cfg']) as { toJSON(): Record<string, unknown> };
  const set = haproxyCfg.toJSON();
  doc.setIn(['sync', 'haproxy-cfg', 'health'], doc.createNode({ haproxy: { backend: 'web', up: 'all' }, deadline: 15 }));
  doc.setIn(['sync', 'lbs-local'], doc.createNode({ ...set, source: join(state, 'haproxy.cfg'), targets: 'group=lb', health: { haproxy: 'all-up', deadline: 6 }, rollout: { serial: [1] } }));
  // A small file on the etcd members, checked by etcd's own state after it lands.
  writeFileSync(join(state, 'etcd-note.conf'), 'v1\n');
  // A directory the login user may write in on each member (the hosts' roots are root's).
  for (const id of ['db1', 'mq1', 'lb1']) {
    const note = join(lab.dir, 'hosts', id, 'note');
    mkdirSync(note, { recursive: true });
    chmodSync(note, 0o777);
  }
  doc.setIn(['sync', 'etcd-note'], doc.createNode({ source: join(state, 'etcd-note.conf'), targets: 'group=etcd', path: '/srv/baton/note/etcd-note.conf', health: { etcd: 'healthy', deadline: 4 } }));
  inventory = join(lab.dir, 'inventory-health.yaml');
  writeFileSync(inventory, doc.toString());
}, 150_000);

afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

describe('health: { haproxy } after a sync', () => {
  it('passes when the reloaded HAProxy on lb2 sees every web server UP', () => {
    const cfg = readFileSync(cfgOf('lb1'), 'utf8');
    writeFileSync(cfgOf('lb1'), `${cfg}\n# edited on the active LB\n`);
    const apply = baton('sync', 'apply', 'haproxy-cfg', '--yes');
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toMatch(/health check on lb2: 4 of 4 servers of web UP/);
    expect(sha(cfgOf('lb2'))).toBe(sha(cfgOf('lb1')));
  });

  it('fails when the new config leaves a server DOWN, and stops the rollout before the next batch', () => {
    const good = readFileSync(cfgOf('lb1'), 'utf8');
    const bad = good.replace(/^(\s+server web2 \S+):\d+ check$/m, '$1:1 check');
    expect(bad).not.toBe(good);
    writeFileSync(join(state, 'haproxy.cfg'), bad);
    const before = { lb1: sha(cfgOf('lb1')), lb2: sha(cfgOf('lb2')) };
    const pids = { lb1: workerPid('haproxy'), lb2: workerPid('haproxy-lb2') };
    const apply = baton('sync', 'apply', 'lbs-local', '--yes');
    expect(apply.code, apply.out).toBe(2);
    expect(apply.out).toMatch(/service state not reached in 6 s \(\d+ readings\): \d of \d servers UP, want all; not UP: web\/web2 DOWN \(L4CON\)/);
    // lb1 is the first batch: installed (haproxy -c has nothing against port 1) and reloaded.
    expect(sha(cfgOf('lb1'))).toBe(sha(join(state, 'haproxy.cfg')));
    expect(sha(cfgOf('lb1'))).not.toBe(before.lb1);
    expect(workerPid('haproxy')).not.toBe(pids.lb1);
    // lb2, the next batch: neither written nor reloaded.
    expect(sha(cfgOf('lb2'))).toBe(before.lb2);
    expect(workerPid('haproxy-lb2')).toBe(pids.lb2);
  });
});

describe('health: { etcd: healthy } after a sync', () => {
  it('passes with the cluster whole; with the leader killed, fails naming the member down', () => {
    const apply = baton('sync', 'apply', 'etcd-note', '--yes');
    expect(apply.code, apply.out).toBe(0);
    expect(apply.out).toMatch(/health check on (db1|mq1|lb1): 3 of 3 voting members healthy, leader \S+/);

    expect(lab.baton('fail', 'etcd:leader').code).toBe(0);
    writeFileSync(join(state, 'etcd-note.conf'), 'v2\n');
    const failed = baton('sync', 'apply', 'etcd-note', '--yes');
    expect(failed.code, failed.out).toBe(2);
    expect(failed.out).toMatch(/service state not reached in 4 s \(\d+ readings\): .*(down|no leader)/);
    lab.baton('heal', 'etcd:leader');
  });
});
