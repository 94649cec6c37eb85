// The lab's nginx: its config runs Debian's real nginx without root, and the
// component starts it on lb1, stops it for `fail nginx:lb1` with
// `nginx -s stop`, starts it again on heal and leaves nothing on stop.
// The component part binds the lab's own address: run this file under
// flock /tmp/baton-lab.lock, like every lab-backed test.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { httpGet } from '../../src/lab/http-get.js';
import { labProcesses, labSockets } from '../../src/lab/leftovers.js';
import { NginxComponent } from '../../src/lab/nginx-component.js';
import { nginxConfig, nginxPath } from '../../src/lab/nginx-config.js';
import { waitGone } from '../../src/lab/process-tree.js';
import { MARK } from '../../src/probes/probe-output.js';
import { parseNginxProbe } from '../../src/probes/nginx.js';
import { testLabContext } from '../helpers/lab-context.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-nginx-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A stub_status page as the probe would parse it. */
async function stubStatus(url: string) {
  const reply = await httpGet(url, 1000);
  return reply?.status === 200 ? parseNginxProbe(`${MARK}via test\n${reply.body}`, Date.now()) : undefined;
}

describe('the lab nginx.conf', () => {
  it('proxies lb1 to the HAProxy frontend and serves stub_status, with every path under the lab dir', () => {
    const conf = nginxConfig({ lbAddress: '127.0.3.6', dir: '/tmp/lab/nginx', accessLog: '/tmp/lab/logs/nginx-access.log' });
    expect(conf).toContain('listen 127.0.3.6:8088;');
    expect(conf).toMatch(/location = \/nginx-status \{\n\s+stub_status;/);
    expect(conf).toContain('proxy_pass http://127.0.3.6:8000;');
    expect(conf).toContain('master_process off;');
    for (const path of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) expect(conf).toContain(`"/tmp/lab/nginx/temp/${path}"`);
    expect(conf.replace(/#.*$/gm, '')).not.toMatch(/\/var\/|\/run\//);
  });

  it('quotes paths, and refuses those nginx.conf cannot carry', () => {
    expect(nginxPath('/tmp/my lab;x')).toBe('"/tmp/my lab;x"');
    for (const bad of ['/tmp/$lab', '/tmp/"lab', '/tmp/la\\b', '/tmp/la\nb']) expect(() => nginxPath(bad)).toThrow(/nginx\.conf cannot carry/);
  });

  it('runs the real nginx without root, in a dir with a space and a semicolon', async () => {
    const base = await tempDir();
    const dir = join(base, 'my lab;1');
    mkdirSync(join(dir, 'temp'), { recursive: true });
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, nginxConfig({ lbAddress: '127.0.48.6', dir, accessLog: join(dir, 'access.log') }));
    // As root, run it as nobody: what a lab started by a normal user does.
    const asUser: string[] = [];
    if (process.getuid?.() === 0) {
      const id = (flag: string) => execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim();
      for (const p of [base, dir, join(dir, 'temp'), file]) chownSync(p, Number(id('-u')), Number(id('-g')));
      asUser.push('setpriv', `--reuid=${id('-u')}`, `--regid=${id('-g')}`, '--clear-groups');
    }
    const nginx = (...args: string[]): [string, string[]] => (asUser.length ? [asUser[0]!, [...asUser.slice(1), 'nginx', ...args]] : ['nginx', args]);
    execFileSync(...nginx('-t', '-q', '-c', file, '-g', 'daemon off;'), { stdio: 'pipe' });
    const child = spawn(...nginx('-c', file, '-g', 'daemon off;'), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const url = 'http://127.0.48.6:8088/nginx-status';
      const deadline = Date.now() + 5000;
      let page = await stubStatus(url);
      while (!page && child.exitCode === null && Date.now() < deadline) page = (await sleep(50), await stubStatus(url));
      expect(page, stderr).toMatchObject({ kind: 'snapshot', snapshot: { active: 1, writing: 1 } });
      // Nothing listens on the HAProxy port here: the proxy says so.
      expect((await httpGet('http://127.0.48.6:8088/version'))?.status).toBe(502);
      for (let i = 0; i < 40 && !/while connecting to upstream/.test(stderr); i++) await sleep(50);
      expect(stderr).toMatch(/connect\(\) failed \(111: Connection refused\) while connecting to upstream/);
      if (asUser.length) expect(execFileSync('ps', ['-o', 'user=', '-p', String(child.pid)], { encoding: 'utf8' }).trim()).toBe('nobody');
    } finally {
      child.kill('SIGTERM');
      expect(await waitGone([child.pid!], 5000)).toBe(true);
    }
  });
});

describe('NginxComponent', () => {
  it('starts on lb1, stops with `fail nginx:lb1`, starts again on heal, and leaves nothing', async () => {
    const dir = await tempDir();
    const ctx = testLabContext(dir);
    const nginx = new NginxComponent();
    try {
      const t0 = Date.now();
      await nginx.start(ctx);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(nginx.targets).toEqual(['nginx:lb1']);
      expect(nginx.owns('nginx:lb1')).toBe(true);
      expect(nginx.owns('nginx:web1')).toBe(false);
      expect(await nginx.status()).toMatchObject({ name: 'nginx', healthy: true, failed: [], detail: expect.stringMatching(/^lb1 127\.0\.3\.6:8088 -> HAProxy :8000; stub_status: 1 active, \d+ requests$/) });

      expect(await nginx.fail('nginx:lb1')).toMatch(/^stopped nginx on lb1 \(127\.0\.3\.6:8088\) with nginx -s stop/);
      expect(await httpGet(nginx.statusUrl, 500)).toBeUndefined();
      expect(await nginx.status()).toMatchObject({ healthy: false, failed: ['nginx:lb1'], detail: expect.stringContaining('heal with: baton lab heal nginx:lb1') });
      await expect(nginx.fail('nginx:lb1')).rejects.toThrow(/already failed/);
      await expect(nginx.fail('nginx:web1')).rejects.toThrow(/no nginx target nginx:web1; known: nginx:lb1/);

      expect(await nginx.heal('nginx:lb1')).toMatch(/^started nginx on lb1 again in \d+ ms/);
      await expect(nginx.heal('nginx:lb1')).rejects.toThrow(/is not failed/);
      const after = await stubStatus(nginx.statusUrl);
      expect(after?.kind === 'snapshot' && after.snapshot.requests).toBeLessThan(10);
    } finally {
      await nginx.stop();
      await ctx.close();
    }
    expect(labProcesses(dir)).toEqual([]);
    expect(labSockets(dir)).toEqual([]);
  });
});
