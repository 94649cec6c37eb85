// The operator's own actions through the engine against real components: a
// real haproxy 2.6 (127.0.34.x) driven through its admin socket by a YAML
// action whose verify is a baton state re-read with the probe, and host
// actions whose variables carry hostile values through a real shell.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customAction } from '../../../src/ops/custom/custom-action.js';
import { customActionSchema } from '../../../src/ops/custom/custom-action-spec.js';
import type { ActionResult } from '../../../src/ops/engine/execute.js';
import type { Refusal } from '../../../src/ops/engine/registry.js';
import { harness, localHost, type Harness } from '../failover/failover-harness.js';

const PORT = 18434;
const SERVERS = ['127.0.34.11', '127.0.34.12'];
let h: Harness;
let haproxy: ChildProcess | undefined;
const backends: Server[] = [];

const action = (yaml: Record<string, unknown>) => customAction(customActionSchema.parse(yaml), 'test-actions.yaml');

function done(r: ActionResult | Refusal): ActionResult {
  if ('refused' in r) throw new Error(`refused: ${r.reason}`);
  return r;
}

beforeAll(async () => {
  for (const address of SERVERS) {
    const s = createServer((sock) => sock.on('error', () => undefined));
    await new Promise<void>((r) => s.listen(PORT, address, r));
    backends.push(s);
  }
  const lb = localHost('lb1', { haproxy: { socket: '' } });
  const web = localHost('web1', {});
  h = harness([lb, web]);
  const socket = join(h.dir, 'lb1.sock');
  lb.roles.haproxy = { socket };
  lb.vars = { haproxy_socket: socket };
  web.vars = { marker_dir: join(h.dir, "it's a dir; touch pwned") };
  const cfg = join(h.dir, 'lb1.cfg');
  writeFileSync(
    cfg,
    `global\n  stats socket ${socket} mode 600 level admin\ndefaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nfrontend fe\n  bind 127.0.34.1:${PORT}\n  default_backend app\nbackend app\n  server web1 ${SERVERS[0]}:${PORT}\n  server web2 ${SERVERS[1]}:${PORT}\n`,
  );
  haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!existsSync(socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}, 20_000);

afterAll(async () => {
  haproxy?.kill('SIGKILL');
  await Promise.all(backends.map((s) => new Promise((r) => s.close(r))));
  await h?.close();
});

describe('a custom haproxy.server action', () => {
  const drain = action({
    name: 'drain-web',
    scope: 'haproxy.server',
    command: "printf 'set server %s/%s state drain\\n' $BACKEND $SERVER | socat stdio UNIX-CONNECT:${vars.haproxy_socket}",
    verify: { state: 'DRAIN', within: 5 },
  });
  const ready = action({
    name: 'ready-web',
    scope: 'haproxy.server',
    command: "printf 'set server %s/%s state ready\\n' $BACKEND $SERVER | socat stdio UNIX-CONNECT:${vars.haproxy_socket}",
    verify: { state: 'UP', within: 5 },
  });

  it('runs on the LB that has the server, and verify reads the state back with the probe', async () => {
    const r = done(await h.act(drain, ['app/web2']));
    expect(r.plan.targets).toEqual(['lb1']);
    expect(r.plan.locks).toEqual(['haproxy:lb1:app/web2']);
    expect(r.state).toBe('ok');
    expect(r.verify.detail).toMatch(/DRAIN: lb1: DRAIN/);
    const back = done(await h.act(ready, ['app/web2']));
    expect(back.verify.detail).toMatch(/UP: lb1: (UP|no check)/);
  });

  it('fails verify when the state does not come, though the command exited 0', async () => {
    const noop = action({ name: 'says-drain', scope: 'haproxy.server', command: 'true', verify: { state: 'DRAIN', within: 1 } });
    const r = done(await h.act(noop, ['app/web1']));
    expect(r.run.outcome).toBe('ok');
    expect(r.state).toBe('failed');
    expect(r.verify.detail).toMatch(/not DRAIN after 1 s: lb1: /);
  });

  it('refuses a server no LB has, naming those that exist', async () => {
    const r = await h.act(drain, ['app/web9']);
    expect(r).toMatchObject({ refused: true, reason: 'no LB has server "app/web9"' });
    expect((r as Refusal).hint).toMatch(/app\/web1, app\/web2/);
  });
});

describe('a custom host action', () => {
  it('passes hostile inventory values as one word, and verifies with its own command', async () => {
    const mark = action({
      name: 'mark',
      scope: 'host',
      command: 'mkdir -p ${vars.marker_dir} && echo $HOST > ${vars.marker_dir}/host',
      verify: { command: 'test -s ${vars.marker_dir}/host' },
    });
    const r = done(await h.act(mark, ['web1']));
    expect(r.state).toBe('ok');
    expect(readFileSync(join(h.dir, "it's a dir; touch pwned", 'host'), 'utf8')).toBe('web1\n');
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
    expect(r.verify.detail).toMatch(/verify command exits 0 on web1/);
  });

  it('refuses when an inventory var the command names is not set for a host', async () => {
    const r = await h.act(action({ name: 'needs-var', scope: 'host', command: 'ls ${vars.deploy_dir}' }), ['web1']);
    expect(r).toMatchObject({ refused: true, reason: 'needs-var on web1: inventory var deploy_dir is not set for this host' });
  });
});
