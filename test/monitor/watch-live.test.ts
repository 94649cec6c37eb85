// Checks and devices against real servers: a Node HTTP server serving
// Kubernetes' verbose readyz text on 127.0.13.1, a TCP listener closed and
// reopened, and ICMP to an address of a network namespace the test creates
// (routed into that namespace's loopback: once the address is removed,
// pings vanish unanswered), asked from baton's machine and from a real sshd
// host (127.0.13.10) whose `ping` runs inside that namespace. A failure and
// a recovery must show within one interval plus slack; the times are printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import type { HttpCheckResult } from '../../src/probes/http-check.js';
import { watchId, type WatchKind } from '../../src/store/watches.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';

const ADDR = '127.0.13.1';
const INTERVAL_S = 0.5;
/** Generous: one interval, a probe's own time, the store's flush; the figures themselves are printed. */
const SEEN_WITHIN_MS = INTERVAL_S * 1000 + 1500;
const NS = `baton-t18-${process.pid}`;
const GW = '10.214.0.7';
const fixtures = join(import.meta.dirname, '../fixtures/http-check');
const READY = readFileSync(join(fixtures, 'readyz-docs-excluded.txt'), 'utf8');
const FAILING = readFileSync(join(fixtures, 'readyz-failing.txt'), 'utf8');

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
let canNamespace = true;
try {
  execFileSync('ip', ['netns', 'list'], { stdio: 'pipe' });
  if (process.getuid?.() !== 0) canNamespace = false;
} catch {
  canNamespace = false;
}

let fleet: Fleet;
let dir: string;
let session: Session;
let ready = true;
let httpServer: http.Server;
let tcpServer: net.Server | undefined;
let tcpPort: number;
let httpPort: number;

const listen = (server: net.Server, port = 0) => new Promise<number>((resolve) => server.listen(port, ADDR, () => resolve((server.address() as net.AddressInfo).port)));
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-watch-'));
  httpServer = http.createServer((_req, res) => res.writeHead(ready ? 200 : 500, { 'content-type': 'text/plain' }).end(ready ? READY : FAILING));
  httpPort = await listen(httpServer);
  tcpServer = net.createServer((s) => s.destroy());
  tcpPort = await listen(tcpServer);
  if (canNamespace) {
    ip('netns', 'add', NS);
    ip('-n', NS, 'link', 'set', 'lo', 'up');
    ip('-n', NS, 'route', 'add', '10.214.0.0/24', 'dev', 'lo');
    ip('-n', NS, 'addr', 'add', `${GW}/32`, 'dev', 'lo');
    // The host's ping is the real one, run inside the namespace.
    writeFileSync(join(dir, 'ping'), `#!/bin/sh\nexec ip netns exec ${NS} /usr/bin/ping "$@"\n`, { mode: 0o755 });
  }
  fleet = await startFleet({ hosts: 1, firstAddress: '127.0.13.10', sessionEnv: { 0: { PATH: `${dir}:/usr/sbin:/usr/bin:/bin` } } });
  const host = fleet.hosts[0]!.id;
  const url = `http://${ADDR}:${httpPort}/readyz?verbose`;
  const inventory = join(dir, 'watch.yaml');
  writeFileSync(
    inventory,
    `${fleet.inventoryYaml()}
checks:
  - { name: api-local, url: "${url}", expect: { body: "readyz check passed" } }
  - { name: api-via-host, url: "${url}", from: ${host}, expect: { status: 200 } }
devices:
  - { name: sw-tcp, type: switch, address: ${ADDR}, probe: "tcp:${tcpPort}" }
  - { name: lo-icmp, type: server, address: ${ADDR} }
  - { name: sw-tcp-via-host, type: switch, address: ${ADDR}, probe: "tcp:${tcpPort}", from: ${host} }
${canNamespace ? `  - { name: gw-icmp-via-host, type: router, address: ${GW}, from: ${host} }\n` : ''}`,
  );
  session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile, interval: INTERVAL_S }));
  session.monitor.start();
}, 30_000);

afterAll(async () => {
  await session?.monitor.stop();
  await fleet?.stop();
  if (tcpServer?.listening) await close(tcpServer);
  await close(httpServer);
  if (canNamespace) ip('netns', 'del', NS);
  rmSync(dir, { recursive: true, force: true });
});

const watch = (kind: WatchKind, name: string) => session.store.getState().watches[watchId(kind, name)];
const up = (kind: WatchKind, name: string) => watch(kind, name)?.summary?.up;
const messages = () => session.store.getState().events.map((e) => e.message);

/** ms from now until `cond` holds, bounded. */
async function seen(cond: () => boolean, what: string): Promise<number> {
  const t0 = Date.now();
  await waitFor(() => cond(), SEEN_WITHIN_MS, what);
  return Date.now() - t0;
}

describe('checks and devices, live', () => {
  it('sees every item up first', async () => {
    await waitFor(() => ['api-local', 'api-via-host'].every((n) => up('check', n) === true), 10_000, 'checks ok');
    const devices = ['sw-tcp', 'lo-icmp', 'sw-tcp-via-host', ...(canNamespace ? ['gw-icmp-via-host'] : [])];
    await waitFor(() => devices.every((n) => up('device', n) === true), 10_000, 'devices up');
    const r = watch('check', 'api-via-host')!.result as HttpCheckResult;
    expect(r.readyz.find((c) => c.name === 'etcd')).toEqual({ name: 'etcd', ok: true, excluded: true });
    expect(watch('device', 'lo-icmp')!.summary!.latencyMs.at(-1)).toBeGreaterThan(0);
  }, 25_000);

  it('sees a check fail and recover, from baton and from a host', async () => {
    ready = false;
    const failLocal = seen(() => up('check', 'api-local') === false, 'api-local failing');
    const failHost = seen(() => up('check', 'api-via-host') === false, 'api-via-host failing');
    const fail = await Promise.all([failLocal, failHost]);
    expect(messages()).toContain('check api-via-host failing from h001: HTTP 500: etcd failed: reason withheld; poststarthook/rbac/bootstrap-roles failed: reason withheld');
    ready = true;
    const back = await Promise.all([seen(() => up('check', 'api-local') === true, 'api-local ok'), seen(() => up('check', 'api-via-host') === true, 'api-via-host ok')]);
    expect(messages().some((m) => m.startsWith('check api-local passes again (down '))).toBe(true);
    expect(watch('check', 'api-local')!.summary!.lastFailure!.reason).toMatch(/^HTTP 500: etcd failed/);
    console.log(`check seen failing after ${fail.join('/')} ms, ok again after ${back.join('/')} ms (local/via host; interval ${INTERVAL_S * 1000} ms)`);
  }, 15_000);

  it('sees a TCP device go unreachable when its port closes, and come back', async () => {
    await close(tcpServer!);
    const down = await Promise.all([seen(() => up('device', 'sw-tcp') === false, 'sw-tcp down'), seen(() => up('device', 'sw-tcp-via-host') === false, 'sw-tcp-via-host down')]);
    expect(watch('device', 'sw-tcp')!.summary!.lastFailure!.reason).toBe('Connection refused');
    expect(messages()).toContain('device sw-tcp unreachable: Connection refused');
    tcpServer = net.createServer((s) => s.destroy());
    await listen(tcpServer, tcpPort);
    const back = await Promise.all([seen(() => up('device', 'sw-tcp') === true, 'sw-tcp up'), seen(() => up('device', 'sw-tcp-via-host') === true, 'sw-tcp-via-host up')]);
    const s = watch('device', 'sw-tcp')!.summary!;
    expect(s.availabilityPct).toBeLessThan(100);
    expect(s.lossPct).toBeGreaterThan(0);
    console.log(`TCP device seen down after ${down.join('/')} ms, up after ${back.join('/')} ms (local/via host)`);
  }, 15_000);

  it.skipIf(!canNamespace)('sees an ICMP device go unreachable and come back (ping inside a namespace, from a host)', async () => {
    ip('-n', NS, 'addr', 'del', `${GW}/32`, 'dev', 'lo');
    const down = await seen(() => up('device', 'gw-icmp-via-host') === false, 'gw down');
    expect(watch('device', 'gw-icmp-via-host')!.summary!.lastFailure!.reason).toBe('no reply within 1 s');
    ip('-n', NS, 'addr', 'add', `${GW}/32`, 'dev', 'lo');
    const back = await seen(() => up('device', 'gw-icmp-via-host') === true, 'gw up');
    expect(messages().some((m) => m.startsWith('device gw-icmp-via-host reachable again from h001 (down '))).toBe(true);
    console.log(`ICMP device seen down after ${down} ms (ping waits 1 s for a reply), up after ${back} ms`);
  }, 15_000);

  it('puts both in the --once --json sections', () => {
    const snap = buildSnapshot(session.store.getState(), Date.now());
    expect(snap.checks.map((c) => [c.name, c.from, c.state, c.httpStatus])).toEqual([
      ['api-local', 'local', 'ok', 200],
      ['api-via-host', 'h001', 'ok', 200],
    ]);
    const sw = snap.devices.find((d) => d.name === 'sw-tcp')!;
    expect(sw).toMatchObject({ type: 'switch', address: ADDR, probe: `tcp:${tcpPort}`, from: 'local', reachable: true, error: null });
    expect(sw.lastFailure?.reason).toBe('Connection refused');
    expect(sw.availabilityHourPct).toBeLessThan(100);
  });
});
