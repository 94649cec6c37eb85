// The `iptables_block` inject and its undo on a real host: an sshd whose
// sessions live in a network namespace of their own (its listening socket
// made on 127.0.15.21 here and handed over, as the real Pacemaker nodes'
// are), logged in as root, so the rule the drill inserts changes only that
// namespace's firewall. Traffic is curl on that host to an HTTP server in
// the same namespace: blocked, requests time out; the drill's implicit
// restore deletes the rule (no restore: written) and traffic comes back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { listenThenExec } from '../../../src/lab/pacemaker-real/listen-then-exec.js';
import { startFleet, type Fleet } from '../../../src/lab/sshd-fleet.js';

const CLI = join(import.meta.dirname, '../../../dist/cli/main.js');
const PORT = 18082;
const root = process.getuid?.() === 0;
const iptables = spawnSync('sh', ['-c', 'command -v iptables']).status === 0;
let fleet: Fleet;
let work: string;
let inventory: string;

const ssh = (command: string) => spawnSync('ssh', ['-F', fleet.sshConfigFile, 'dn01', command], { encoding: 'utf8', timeout: 20_000 });
const pidFile = () => join(work, 'serve.pid');

describe.skipIf(!root || !iptables)('iptables_block on a host with a network of its own (root, iptables)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'baton-drill-iptables-'));
    // A one-line HTTP server: socat hands each connection to `respond` (socat's own address syntax would split an inline reply).
    writeFileSync(join(work, 'respond'), "#!/bin/sh\nread line\nprintf 'HTTP/1.0 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n'\n", { mode: 0o755 });
    writeFileSync(join(work, 'serve'), `#!/bin/sh\necho $$ > ${pidFile()}\nexec socat TCP-LISTEN:${PORT},bind=127.0.0.1,fork,reuseaddr EXEC:${join(work, 'respond')}\n`, { mode: 0o755 });
    fleet = await startFleet({
      hosts: 1,
      perProcess: 1,
      firstAddress: '127.0.15.21',
      ids: ['dn01'],
      wrapSshd: (host, argv) => listenThenExec(host.address, host.port, ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv]),
    });
    inventory = join(work, 'inventory.yaml');
    const h = fleet.hosts[0]!;
    writeFileSync(inventory, stringify({ name: 'netns-fleet', knownHosts: fleet.knownHostsFile, hosts: { dn01: { address: h.address, port: h.port, user: fleet.user, identity: fleet.identityFile } } }));
    expect(ssh(`setsid ${join(work, 'serve')} </dev/null >/dev/null 2>&1 &`).status).toBe(0);
    const deadline = Date.now() + 5000;
    while (ssh(`curl -fsS --max-time 1 http://127.0.0.1:${PORT}/`).stdout !== 'ok\n' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }, 60_000);

  afterAll(async () => {
    const pid = work && existsSync(pidFile()) ? Number(readFileSync(pidFile(), 'utf8')) : NaN;
    if (pid > 0) spawnSync('kill', ['-KILL', String(pid)]);
    await fleet?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('blocks the port under traffic; the implicit restore deletes the rule and traffic comes back', () => {
    // The host's sessions see only their own loopback: the rule cannot touch this machine's firewall.
    expect(ssh('ip -o link show | cut -d: -f2').stdout.trim()).toBe('lo');
    expect(ssh(`curl -fsS --max-time 1 http://127.0.0.1:${PORT}/`).stdout).toBe('ok\n');
    const file = join(work, 'block.yaml');
    writeFileSync(
      file,
      stringify({
        name: 'netns-block',
        traffic: [{ name: 'web', http: `http://127.0.0.1:${PORT}/`, from: 'dn01', rate: 5, timeout: '500ms' }],
        inject: { iptables_block: { host: 'dn01', port: PORT }, settle: '1s' },
        expect: [
          { name: 'requests blocked', traffic: { probe: 'web', below: 50, window: '1s' }, within: '6s' },
          { name: 'requests back', traffic: { probe: 'web', above: 99, window: '1s' }, after: 'restore', within: '10s' },
        ],
        observe: '1s',
      }),
    );
    const r = spawnSync(process.execPath, [CLI, 'drill', 'run', file, '--confirm', 'netns-fleet', '--json', '--interval', '1', '-i', inventory], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, XDG_STATE_HOME: join(work, 'state') },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout) as { passed: boolean; restored: boolean; requests: { ok: number; unknown: number } };
    expect(figures).toMatchObject({ passed: true, restored: true });
    expect(figures.requests.unknown).toBeGreaterThan(0); // dropped packets: requests that timed out
    expect(ssh('iptables -S INPUT').stdout).not.toContain('baton-drill'); // the undo ran
  }, 120_000);
});
