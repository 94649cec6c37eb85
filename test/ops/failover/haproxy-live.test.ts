// The HAProxy actions against two real haproxy 2.6 processes (an
// active/passive pair, lb1 and lb2, on 127.0.37.x), each reached through its
// admin socket by a real LocalTransport, run through the engine with the
// lock-dir backend and a journal: what `show stat` says afterwards is the test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../../src/ops/engine/execute.js';
import { confirmLevel, type Plan } from '../../../src/ops/engine/plan.js';
import type { Refusal } from '../../../src/ops/engine/registry.js';
import { haproxyDrainAction, haproxyMaintAction, haproxyReadyAction, haproxyWeightAction } from '../../../src/ops/failover/haproxy/haproxy-actions.js';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxyServer } from '../../../src/probes/haproxy.js';
import { harness, localHost, type Harness } from './failover-harness.js';

const BACKEND_ADDRESSES = ['127.0.37.11', '127.0.37.12', '127.0.37.13', '127.0.37.14'];
const PORT = 18437;
let h: Harness;
const daemons: ChildProcess[] = [];
const servers: Server[] = [];
const held: Socket[] = [];

function config(dir: string, lb: number, persistent: boolean): string {
  const [web1, web2, sorry, only] = BACKEND_ADDRESSES;
  return `global
  stats socket ${dir}/lb${lb}.sock mode 600 level admin
${persistent ? `  server-state-file ${dir}/lb${lb}.state\n` : ''}defaults
  mode tcp
  timeout connect 1s
  timeout client 30s
  timeout server 30s
${persistent ? '  load-server-state-from-file global\n' : ''}frontend fe
  bind 127.0.37.${lb}:${PORT}
  default_backend app
frontend held
  bind 127.0.37.${lb}:${PORT + 1}
  default_backend held
backend app
  server web1 ${web1}:${PORT} weight 100
  server web2 ${web2}:${PORT} weight 50
  server sorry ${sorry}:${PORT} backup
backend solo
  server only1 ${only}:${PORT}
backend held
  server h1 ${web1}:${PORT}
  server h2 ${web2}:${PORT}
`;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What `show stat` says of a server on an LB, through the probe. */
async function stat(lb: string, ref: string): Promise<HaproxyServer> {
  const role = h.live.inventory.hosts.find((x) => x.id === lb)!.roles.haproxy!;
  const r = await h.live.transports.get(lb)!.exec(haproxyProbeCommand(role), { timeoutMs: 5000 });
  const parsed = parseHaproxyProbe(r.stdout);
  if (parsed.kind !== 'snapshot') throw new Error(parsed.message);
  const [backend, name] = ref.split('/');
  return parsed.snapshot.backends.find((b) => b.name === backend)!.servers.find((s) => s.name === name)!;
}

function done(r: ActionResult | Refusal): ActionResult {
  if ('refused' in r) throw new Error(`refused: ${r.reason}`);
  return r;
}

beforeAll(async () => {
  // Backend servers that accept and hold connections (sessions to drain).
  for (const address of BACKEND_ADDRESSES) {
    const s = createServer((sock) => sock.on('error', () => undefined));
    await new Promise<void>((r) => s.listen(PORT, address, r));
    servers.push(s);
  }
  const hosts = [1, 2].map((lb) => localHost(`lb${lb}`, { haproxy: { socket: '' } }));
  h = harness(hosts);
  for (const [i, host] of hosts.entries()) {
    const lb = i + 1;
    const cfg = join(h.dir, `lb${lb}.cfg`);
    writeFileSync(cfg, config(h.dir, lb, lb === 1));
    host.roles.haproxy = { socket: join(h.dir, `lb${lb}.sock`) };
    daemons.push(spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' }));
  }
  await waitFor(() => existsSync(join(h.dir, 'lb1.sock')) && existsSync(join(h.dir, 'lb2.sock')), 'the admin sockets');
}, 20_000);

afterAll(async () => {
  held.forEach((s) => s.destroy());
  for (const d of daemons) d.kill('SIGKILL');
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await h?.close();
});

describe('haproxy.drain / ready on an active/passive pair', () => {
  it('drains the server on both LBs (show stat says DRAIN), and ready brings it back', async () => {
    const drained = done(await h.act(haproxyDrainAction, ['app/web2']));
    expect(drained.state).toBe('ok');
    expect(drained.plan.targets).toEqual(['lb1', 'lb2']);
    expect(drained.plan.locks).toEqual(['haproxy:lb1:app/web2', 'haproxy:lb2:app/web2']);
    expect((await stat('lb1', 'app/web2')).statusText).toBe('DRAIN');
    expect((await stat('lb2', 'app/web2')).statusText).toBe('DRAIN');
    expect(drained.verify.detail).toMatch(/lb1: DRAIN.*lb2: DRAIN/);
    // lb1 loads its server states on reload, lb2 does not: the plan says so.
    const reload = drained.plan.preconditions.filter((p) => p.what.includes('reload'));
    expect(reload.map((p) => [p.what.split(':')[0], p.ok])).toEqual([['lb1', true], ['lb2', false]]);
    expect(reload[1]!.detail).toMatch(/no load-server-state-from-file/);
    expect(confirmLevel(drained.plan)).toBe('yes');
    const journal = readFileSync(drained.journal, 'utf8');
    expect(journal).toContain('"t":"end"');

    const ready = done(await h.act(haproxyReadyAction, ['app/web2']));
    expect(ready.state).toBe('ok');
    expect((await stat('lb1', 'app/web2')).statusText).toBe('no check');
    expect((await stat('lb2', 'app/web2')).statusText).toBe('no check');
  });

  it('waits for the drained server\'s sessions to reach 0 and says how the count fell', async () => {
    const client = connect(PORT + 1, '127.0.37.1');
    held.push(client);
    await new Promise((r) => client.once('connect', r));
    let busy: HaproxyServer | undefined;
    for (let i = 0; i < 40 && !busy; i++) {
      busy = [await stat('lb1', 'held/h1'), await stat('lb1', 'held/h2')].find((s) => s.sessions === 1);
      if (!busy) await new Promise((r) => setTimeout(r, 50));
    }
    expect(busy).toBeDefined();
    // The client leaves a second after the drain is set: verify sees the count fall.
    const hooks = { onStep: () => void setTimeout(() => client.destroy(), 1000) };
    const drained = done(await h.act(haproxyDrainAction, [`held/${busy!.name}`], { waitSessions: 8 }, hooks));
    expect(drained.state).toBe('ok');
    expect(drained.verify.detail).toMatch(/lb1: DRAIN, sessions 1 → 0 in \d+\.\d s/);
    done(await h.act(haproxyReadyAction, [`held/${busy!.name}`]));
  });
});

describe('haproxy.weight', () => {
  it('sets 50% of the configured weight, steps it, and restores the configured one, on both LBs', async () => {
    const half = done(await h.act(haproxyWeightAction, ['app/web1', '50%']));
    expect(half.state).toBe('ok');
    expect((await stat('lb1', 'app/web1')).weight).toBe(50);
    expect((await stat('lb2', 'app/web1')).weight).toBe(50);
    expect(half.plan.changes[0]).toMatchObject({ before: '100 (configured 100)', after: '50' });
    done(await h.act(haproxyWeightAction, ['app/web1', '-10']));
    expect((await stat('lb2', 'app/web1')).weight).toBe(40);
    const back = done(await h.act(haproxyWeightAction, ['app/web1', 'configured']));
    expect(back.state).toBe('ok');
    expect((await stat('lb1', 'app/web1')).weight).toBe(100);
  });
});

describe('refusals', () => {
  it('needs a typed confirmation to take the last UP non-backup server of a backend out, on every LB', async () => {
    const plan = (await h.plan(haproxyMaintAction, ['solo/only1'])) as Plan;
    expect(plan.risk.reasons).toHaveLength(2);
    expect(plan.risk.reasons[0]).toMatch(/lb1: solo\/only1 is the last UP non-backup server of backend solo/);
    expect(confirmLevel(plan)).toBe('typed');
    // web1 drained: web2 is now the last one of app (the backup does not count).
    done(await h.act(haproxyDrainAction, ['app/web1']));
    const last = (await h.plan(haproxyWeightAction, ['app/web2', '0'])) as Plan;
    expect(last.risk.reasons.join()).toMatch(/app\/web2 is the last UP non-backup server of backend app: taking it out leaves only its 1 backup/);
    expect(((await h.plan(haproxyWeightAction, ['app/web2', '10'])) as Plan).risk.reasons).toEqual([]);
    done(await h.act(haproxyReadyAction, ['app/web1']));
  });

  it('refuses a server that does not exist, listing those that do', async () => {
    const r = (await h.plan(haproxyDrainAction, ['app/web9'])) as Refusal;
    expect(r.refused).toBe(true);
    expect(r.reason).toBe('backend app has no server web9 on lb1, lb2; servers there: app/web1, app/web2, app/sorry');
    expect(((await h.plan(haproxyDrainAction, ['nope/web1'])) as Refusal).reason).toMatch(/^no backend nope on lb1, lb2; servers there: app\/web1, .*solo\/only1/);
  });

  it('refuses a hostile name before any shell sees it; haproxy itself will not load such a config', async () => {
    const pwned = join(h.dir, 'pwned');
    const r = (await h.plan(haproxyDrainAction, [`app/x;touch ${pwned}`])) as Refusal;
    expect(r.reason).toMatch(/server name "x;touch .*pwned" cannot be a HAProxy name/);
    expect(((await h.plan(haproxyDrainAction, ['app/$(touch x)'])) as Refusal).refused).toBe(true);
    expect(existsSync(pwned)).toBe(false);
    const crafted = join(h.dir, 'crafted.cfg');
    writeFileSync(crafted, `defaults\n  mode tcp\nbackend app\n  server "x;touch ${pwned}" 127.0.37.11:1\n`);
    let said = '';
    try {
      execFileSync('haproxy', ['-c', '-f', crafted], { stdio: 'pipe' });
    } catch (err) {
      said = String((err as { stderr: Buffer }).stderr);
    }
    expect(said).toMatch(/character ';' is not permitted in server name/);
    expect(existsSync(pwned)).toBe(false);
  });

  it('says the LB with only the HTTP stats page cannot be changed, and the plan needs it typed', async () => {
    const withStatsPage = harness([h.live.inventory.hosts[0]!, localHost('stats-only', { haproxy: { statsUrl: 'http://127.0.37.9:1/stats' } })], { dir: h.dir });
    const plan = (await withStatsPage.plan(haproxyDrainAction, ['app/web2'])) as Plan;
    await withStatsPage.close();
    expect(confirmLevel(plan)).toBe('typed');
    expect(plan.risk.reasons.join()).toMatch(/stats-only could not be read \(only the HTTP stats page is configured .* it can read state but not set it/);
  });
});
