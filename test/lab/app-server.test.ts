// The lab web app on its own (no lab): restart through bin/app-restart under
// traffic refuses no request, a fail-after release answers, then fails, and
// /version and /config serve the current release and conf/app.conf.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRestartScript, appStartScript, appStopScript } from '../../src/lab/app-scripts.js';
import { appServerPath } from '../../src/lab/apps-component.js';
import { httpGet } from '../../src/ops/drills/traffic-request.js';

const run = promisify(execFile);
const ADDRESS = '127.0.16.1';
const PORT = 18080;
const url = (path: string) => `http://${ADDRESS}:${PORT}${path}`;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'baton-app-'));
  for (const [v, extra] of [['v1', {}], ['v3-bad', { 'fail-after': '5' }]] as const) {
    mkdirSync(join(root, 'releases', v), { recursive: true });
    writeFileSync(join(root, 'releases', v, 'version'), `${v}\n`);
    for (const [f, text] of Object.entries(extra)) writeFileSync(join(root, 'releases', v, f), `${text}\n`);
  }
  symlinkSync('releases/v1', join(root, 'current'));
  mkdirSync(join(root, 'conf'));
  writeFileSync(join(root, 'conf', 'app.conf'), 'greeting = hello\n');
  mkdirSync(join(root, 'bin'));
  const p = { name: 'web1', address: ADDRESS, port: PORT, root, node: process.execPath, server: appServerPath() };
  writeFileSync(join(root, 'bin', 'app-start'), appStartScript(p), { mode: 0o755 });
  writeFileSync(join(root, 'bin', 'app-stop'), appStopScript(p), { mode: 0o755 });
  writeFileSync(join(root, 'bin', 'app-restart'), appRestartScript(p), { mode: 0o755 });
  await run('sh', [join(root, 'bin', 'app-start')], { timeout: 15_000 });
});

afterAll(async () => {
  await run('sh', [join(root, 'bin', 'app-stop')], { timeout: 15_000 }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('lab web app', () => {
  it('serves its version and its conf/app.conf', async () => {
    expect(await httpGet(url('/version'), 2000)).toMatchObject({ outcome: 'ok', detail: 'v1\n' });
    expect(await httpGet(url('/config'), 2000)).toMatchObject({ outcome: 'ok', detail: 'greeting = hello\n' });
  });

  it('restarts (a new worker, then the old one goes) without failing a request under traffic', async () => {
    let stop = false;
    const outcomes: string[] = [];
    const traffic = (async () => {
      while (!stop) outcomes.push((await httpGet(url('/version'), 2000)).outcome);
    })();
    const pids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await run('sh', [join(root, 'bin', 'app-restart')], { timeout: 20_000 });
      pids.push(/worker pid (\d+)/.exec(r.stdout)![1]!);
    }
    stop = true;
    await traffic;
    expect(new Set(pids).size).toBe(3);
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  });

  it('a fail-after release serves its first requests, then answers 500 and fails /health', async () => {
    rmSync(join(root, 'current'));
    symlinkSync('releases/v3-bad', join(root, 'current'));
    const first = await httpGet(url('/version'), 2000);
    expect(first).toMatchObject({ outcome: 'ok', detail: 'v3-bad\n' });
    for (let i = 0; i < 5; i++) await httpGet(url('/version'), 2000);
    expect(await httpGet(url('/version'), 2000)).toMatchObject({ outcome: 'fail', detail: '500' });
    expect(await httpGet(url('/health'), 2000)).toMatchObject({ outcome: 'fail', detail: '503' });
    rmSync(join(root, 'current'));
    symlinkSync('releases/v1', join(root, 'current'));
    expect(await httpGet(url('/health'), 2000)).toMatchObject({ outcome: 'ok' });
  });
});
