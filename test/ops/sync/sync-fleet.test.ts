// baton sync against real sshd hosts, each with its own view of one path
// (a mount namespace per host, the host's directory bind-mounted there):
// drift (a changed byte, a missing, an extra, an unreadable file, a
// symlink, 50 MiB hashed on the host: bytes through a counting proxy),
// apply and rollback (exact bytes and mode), a haproxy.cfg that fails
// `haproxy -c` never installed, a conflict, SIGKILL mid-rollout then resume.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ensureLabUser } from '../../../src/lab/lab-user.js';
import { startFleet, type Fleet } from '../../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../../dist/cli/main.js');
const IDS = ['sy01', 'sy02', 'sy03'];
const PROXY_ADDRESS = '127.0.11.9';
const BIG = 50 * 1024 * 1024;
let fleet: Fleet;
let work: string;
/** Where every host sees its own directory. */
let mount: string;
let inventory: string;
let env: NodeJS.ProcessEnv;
let proxy: Server;
let proxied = 0;
let loginUid: number | undefined;

const hostDir = (id: string) => join(work, 'hosts', id);
const src = (...p: string[]) => join(work, 'src', ...p);
const shared = (p: string) => (mkdirSync(p, { recursive: true }), chmodSync(p, 0o777), p);

/** Async: the counting proxy lives in this process and must keep forwarding meanwhile. */
function baton(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, '-i', inventory, '--known-hosts', join(work, 'known_hosts')], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

type StatusRow = { set: string; host: string; state: string; files: { path: string; state: string; sourceSha256: string | null; targetSha256: string | null; symlink: boolean }[] };
const status = async (set: string) => JSON.parse((await baton('sync', 'status', set, '--json')).stdout) as StatusRow[];
const stateOf = async (set: string) => Object.fromEntries((await status(set)).map((r) => [r.host, r.state]));

function writeInventory(sets: Record<string, unknown>) {
  const hosts = Object.fromEntries(fleet.hosts.map((h) => [h.id, { address: h.id === 'sy01' ? PROXY_ADDRESS : h.address, port: h.id === 'sy01' ? (proxy.address() as { port: number }).port : h.port, user: fleet.user, identity: fleet.identityFile }]));
  writeFileSync(inventory, stringify({ hosts, sync: sets }));
}

beforeAll(async () => {
  const loginUser = ensureLabUser();
  loginUid = loginUser ? Number(execFileSync('id', ['-u', loginUser], { encoding: 'utf8' })) : undefined;
  work = shared(mkdtempSync(join(tmpdir(), 'baton-sync-')));
  mount = shared(join(work, 'view'));
  for (const id of IDS) shared(hostDir(id));
  shared(src());
  fleet = await startFleet({
    hosts: 3,
    perProcess: 1,
    firstAddress: '127.0.11.1',
    loginUser,
    ids: IDS,
    // Each host's sshd in a mount namespace of its own: `mount` shows that host's directory.
    wrapSshd: (host, argv) => ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', hostDir(host.id), mount, ...argv],
  });
  // A byte-counting TCP proxy in front of sy01: what crosses the wire, measured.
  proxy = createServer((client) => {
    const upstream = connect(fleet.hosts[0]!.port, fleet.hosts[0]!.address);
    client.on('data', (b) => (proxied += b.length));
    upstream.on('data', (b) => (proxied += b.length));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, PROXY_ADDRESS, r));
  const known = readFileSync(fleet.knownHostsFile, 'utf8');
  const first = known.split('\n')[0]!.replace(/^\S+/, `[${PROXY_ADDRESS}]:${(proxy.address() as { port: number }).port}`);
  writeFileSync(join(work, 'known_hosts'), `${known}${first}\n`);
  inventory = join(work, 'inventory.yaml');
  env = { ...process.env, XDG_STATE_HOME: join(work, 'state'), XDG_CACHE_HOME: join(work, 'cache') };
}, 60_000);

afterAll(async () => {
  proxy?.close();
  await fleet?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('sync status: drift computed on the hosts', () => {
  it('in-sync (a followed symlink, 50 MiB hashed there), drifted (one byte, missing, extra), unreadable', async () => {
    shared(src('conf/sub'));
    writeFileSync(src('conf/a.cfg'), 'listen 80\nserver web1\n');
    writeFileSync(src('conf/sub/b.txt'), 'bee\n');
    writeFileSync(src('conf/big.bin'), Buffer.alloc(BIG, 7));
    writeFileSync(src('conf/secret'), 'root only\n');
    for (const id of IDS) {
      shared(join(hostDir(id), 'conf'));
      shared(join(hostDir(id), 'conf/sub'));
      writeFileSync(join(hostDir(id), 'conf/big.bin'), Buffer.alloc(BIG, 7));
      writeFileSync(join(hostDir(id), 'conf/sub/b.txt'), 'bee\n');
      writeFileSync(join(hostDir(id), 'conf/secret'), 'root only\n');
    }
    // sy01: a.cfg is a symlink to identical content (followed: in sync).
    writeFileSync(join(hostDir('sy01'), 'real.cfg'), 'listen 80\nserver web1\n');
    symlinkSync(join(mount, 'real.cfg'), join(hostDir('sy01'), 'conf/a.cfg'));
    // sy02: one byte changed, sub/b.txt missing, an extra file.
    writeFileSync(join(hostDir('sy02'), 'conf/a.cfg'), 'listen 81\nserver web1\n');
    chmodSync(join(hostDir('sy02'), 'conf/a.cfg'), 0o600);
    if (loginUid !== undefined) chownSync(join(hostDir('sy02'), 'conf/a.cfg'), loginUid, loginUid);
    rmSync(join(hostDir('sy02'), 'conf/sub/b.txt'));
    writeFileSync(join(hostDir('sy02'), 'conf/extra.txt'), 'stray\n');
    // sy03: a file the login user cannot read.
    writeFileSync(join(hostDir('sy03'), 'conf/a.cfg'), 'listen 80\nserver web1\n');
    chmodSync(join(hostDir('sy03'), 'conf/secret'), 0o600);
    for (const id of ['sy01', 'sy02']) chmodSync(join(hostDir(id), 'conf/secret'), 0o644);
    writeInventory({ conf: { source: src('conf'), path: join(mount, 'conf'), mode: '0644' } });

    proxied = 0;
    const rows = await status('conf');
    expect(Object.fromEntries(rows.map((r) => [r.host, r.state]))).toEqual({ sy01: 'in-sync', sy02: 'drifted', sy03: 'unreadable' });
    // 50 MiB on the host, hashed there: a few KiB cross the wire (handshake included).
    expect(proxied).toBeLessThan(200 * 1024);
    const files = (h: string) => Object.fromEntries(rows.find((r) => r.host === h)!.files.map((f) => [f.path, f.state]));
    expect(files('sy02')).toEqual({ 'a.cfg': 'drifted', 'big.bin': 'in-sync', 'extra.txt': 'extra', secret: 'in-sync', 'sub/b.txt': 'missing' });
    expect(files('sy03')).toMatchObject({ secret: 'unreadable', 'a.cfg': 'in-sync' });
    expect(rows.find((r) => r.host === 'sy01')!.files.find((f) => f.path === 'a.cfg')).toMatchObject({ state: 'in-sync', symlink: true });
    expect((await baton('sync', 'status', 'conf')).code).toBe(2);
    const diff = await baton('sync', 'diff', 'conf', 'sy02');
    expect(diff.stdout).toContain('-listen 81\n+listen 80\n');
    expect(diff.stdout).toContain('not in the source: removed');
  }, 120_000);

  it('apply brings sy02 in line (sy03 unreadable: left out), rollback restores the exact bytes and mode', async () => {
    const before = readFileSync(join(hostDir('sy02'), 'conf/a.cfg'));
    expect((await baton('sync', 'apply', 'conf', '--read-only', '--yes')).code).toBe(3);
    const r = await baton('sync', 'apply', 'conf', '--yes', '--json');
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'ok' });
    expect(await stateOf('conf')).toMatchObject({ sy01: 'in-sync', sy02: 'in-sync', sy03: 'unreadable' });
    expect(statSync(join(hostDir('sy02'), 'conf/a.cfg')).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(hostDir('sy02'), '.baton-sync/conf'))).toHaveLength(1);
    const back = await baton('sync', 'rollback', 'conf', 'sy02', '--yes', '--json');
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(readFileSync(join(hostDir('sy02'), 'conf/a.cfg'))).toEqual(before);
    expect(statSync(join(hostDir('sy02'), 'conf/a.cfg')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(hostDir('sy02'), 'conf/extra.txt'), 'utf8')).toBe('stray\n');
    expect(existsSync(join(hostDir('sy02'), 'conf/sub/b.txt'))).toBe(false);
    expect((await stateOf('conf')).sy02).toBe('drifted');
  }, 120_000);
});

describe('validate: a haproxy.cfg that fails haproxy -c is never installed', () => {
  const good = 'global\n  maxconn 100\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\nfrontend fe\n  bind 127.0.11.250:8080\n  default_backend be\nbackend be\n  server s1 127.0.11.251:80\n';
  it('the old file stays byte for byte, the validator speaks; a valid one goes in', async () => {
    writeFileSync(src('haproxy.cfg'), good.replace('maxconn 100', 'maxconn 200').replace('default_backend be', 'default_backend nowhere'));
    for (const id of IDS) writeFileSync(join(hostDir(id), 'haproxy.cfg'), good);
    writeInventory({ lb: { source: src('haproxy.cfg'), targets: 'sy01', path: join(mount, 'haproxy.cfg'), validate: '/usr/sbin/haproxy -c -f %s' } });
    const r = await baton('sync', 'apply', 'lb', '--yes');
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/VALIDATE FAILED.*nowhere/s);
    expect(readFileSync(join(hostDir('sy01'), 'haproxy.cfg'), 'utf8')).toBe(good);
    expect(readdirSync(hostDir('sy01')).filter((f) => f.startsWith('.baton-stage'))).toEqual([]);
    writeFileSync(src('haproxy.cfg'), good.replace('maxconn 100', 'maxconn 200'));
    expect((await baton('sync', 'apply', 'lb', '--yes')).code).toBe(0);
    expect(readFileSync(join(hostDir('sy01'), 'haproxy.cfg'), 'utf8')).toContain('maxconn 200');
  }, 120_000);
});

describe('conflict: a target changed between plan and write', () => {
  it('that host is skipped and reported; its file keeps the other writer\'s bytes', async () => {
    writeFileSync(src('motd'), 'new\n');
    for (const id of IDS) writeFileSync(join(hostDir(id), 'motd'), 'old\n');
    chmodSync(join(hostDir('sy02'), 'motd'), 0o666);
    // sy01 goes first (serial 1); its health check writes sy02's file behind baton's back.
    writeInventory({ motd: { source: src('motd'), targets: 'sy0[1-2]', path: join(mount, 'motd'), rollout: { serial: [1] }, health: { command: `echo other >> ${join(hostDir('sy02'), 'motd')}` } } });
    const r = await baton('sync', 'apply', 'motd', '--yes', '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/CONFLICT: changed since the plan/);
    expect(readFileSync(join(hostDir('sy01'), 'motd'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(hostDir('sy02'), 'motd'), 'utf8')).toBe('old\nother\n');
  }, 120_000);
});

describe('SIGKILL in the middle of a rollout, then resume', () => {
  it('no half-written file; the journal says sy01 is done; resume finishes the rest', async () => {
    const go = join(work, 'go');
    writeFileSync(src('app.ini'), 'version=2\n'.repeat(1000));
    for (const id of IDS) writeFileSync(join(hostDir(id), 'app.ini'), 'version=1\n');
    const wait = `case "$SSH_CONNECTION" in *127.0.11.1\\ *|*${PROXY_ADDRESS}\\ *) true;; *) [ -e ${go} ];; esac`;
    writeInventory({ app: { source: src('app.ini'), path: join(mount, 'app.ini'), rollout: { serial: [1, '100%'] }, health: { command: wait, deadline: 60 } } });
    const child = spawn(process.execPath, [CLI, 'sync', 'apply', 'app', '--yes', '-i', inventory, '--known-hosts', join(work, 'known_hosts')], { env, stdio: 'ignore' });
    const journal = join(work, 'state/baton/journal');
    const healthStarted = () =>
      existsSync(journal) && readdirSync(journal).some((f) => /"step":"health:sy02","host":"sy02","attempt":1\}/.test(readFileSync(join(journal, f), 'utf8')) || /"step-start".*"health:sy02"/.test(readFileSync(join(journal, f), 'utf8')));
    const deadline = Date.now() + 60_000;
    while (!healthStarted() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    for (const id of IDS) {
      expect(['version=1\n', 'version=2\n'.repeat(1000)]).toContain(readFileSync(join(hostDir(id), 'app.ini'), 'utf8'));
      expect(readdirSync(hostDir(id)).filter((f) => f.includes('app.ini') && f !== 'app.ini' && !f.startsWith('.baton-stage'))).toEqual([]);
    }
    const history = JSON.parse(spawnSync(process.execPath, [CLI, 'history', '--json'], { encoding: 'utf8', env }).stdout) as { id: string; state: string; action: string; hostsDone: string[] }[];
    const run = history.find((a) => a.action === 'sync.apply' && a.state === 'interrupted');
    expect(run).toMatchObject({ state: 'interrupted', hostsDone: ['sy01'] });
    writeFileSync(go, '');
    const r = await baton('resume', run!.id);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await stateOf('app')).toEqual({ sy01: 'in-sync', sy02: 'in-sync', sy03: 'in-sync' });
  }, 180_000);
});
