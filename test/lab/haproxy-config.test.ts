// The lab's haproxy.cfg is accepted by the real haproxy (-c) and has the
// checks, backup server and admin sockets the issue asks for; one file for
// every LB, what differs per LB (address, run dir) read from the environment.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyConfig, lbEnvironment } from '../../src/lab/haproxy-config.js';
import { serverStates } from '../../src/lab/haproxy-socket.js';

describe('haproxyConfig', () => {
  const cfg = haproxyConfig({
    webServers: [
      { id: 'web1', address: '127.0.3.1' },
      { id: 'web2', address: '127.0.3.2' },
    ],
    sorryAddress: '127.0.3.6',
  });
  const check = (text: string, env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-haproxy-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), text);
      return spawnSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin`, ...env } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("passes haproxy -c with each LB's environment", () => {
    for (const env of [lbEnvironment('127.0.3.6', '/tmp/lab/haproxy'), lbEnvironment('127.0.3.251', '/tmp/lab/haproxy-lb2')]) {
      const r = check(cfg, env);
      expect(r.stderr).not.toMatch(/ALERT/);
      expect(r.status).toBe(0);
    }
  });

  it('fails haproxy -c when broken (what the haproxy-cfg sync set validates with)', () => {
    const r = check(`${cfg}  no-such-keyword on\n`, lbEnvironment('127.0.3.251', '/tmp/lab/haproxy-lb2'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no-such-keyword/);
  });

  it('checks every web server over HTTP, with a backup and both admin sockets', () => {
    expect(cfg).toContain('option httpchk GET /health');
    expect(cfg).toContain('default-server inter 1s rise 2 fall 2');
    expect(cfg).toContain('server web2 127.0.3.2:8080 check\n');
    expect(cfg).toContain('server sorry 127.0.3.6:8081 check backup');
    expect(cfg).toContain('stats socket "${LAB_LB_RUN}/admin.sock" mode 600 level admin');
    expect(cfg).toContain('stats socket "ipv4@${LAB_LB_ADDRESS}:9999" level admin');
    expect(cfg).toContain('bind "${LAB_LB_ADDRESS}:8000"\n');
    expect(cfg).toContain('bind "${LAB_LB_ADDRESS}:8405"\n  http-request use-service prometheus-exporter if { path /metrics }');
  });
});

describe('serverStates', () => {
  it('reads proxy/server -> status from show stat CSV', () => {
    const csv = '# pxname,svname,qcur,status,weight\nweb,FRONTEND,,OPEN,\nweb,web1,0,UP,1\nweb,web2,0,DOWN,1\n\n';
    expect([...serverStates(csv)]).toEqual([
      ['web/FRONTEND', 'OPEN'],
      ['web/web1', 'UP'],
      ['web/web2', 'DOWN'],
    ]);
  });
});
