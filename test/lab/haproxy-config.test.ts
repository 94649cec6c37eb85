// The lab's haproxy.cfg is accepted by the real haproxy (-c) and has the
// checks, backup server and admin sockets the issue asks for.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyConfig } from '../../src/lab/haproxy-config.js';
import { serverStates } from '../../src/lab/haproxy-socket.js';

describe('haproxyConfig', () => {
  const cfg = haproxyConfig({
    lbAddress: '127.0.3.6',
    webServers: [
      { id: 'web1', address: '127.0.3.1' },
      { id: 'web2', address: '127.0.3.2' },
    ],
    adminSocket: '/tmp/lab/haproxy/admin.sock',
  });

  it('passes haproxy -c', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-haproxy-'));
    try {
      writeFileSync(join(dir, 'haproxy.cfg'), cfg.replace('/tmp/lab/haproxy/admin.sock', join(dir, 'admin.sock')));
      const r = spawnSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } });
      expect(r.stderr).not.toMatch(/ALERT/);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks every web server over HTTP, with a backup and both admin sockets', () => {
    expect(cfg).toContain('option httpchk GET /health');
    expect(cfg).toContain('default-server inter 1s rise 2 fall 2');
    expect(cfg).toContain('server web2 127.0.3.2:8080 check\n');
    expect(cfg).toContain('server sorry 127.0.3.6:8081 check backup');
    expect(cfg).toContain('stats socket /tmp/lab/haproxy/admin.sock mode 600 level admin');
    expect(cfg).toContain('stats socket ipv4@127.0.3.6:9999 level admin');
    expect(cfg).toMatch(/bind 127\.0\.3\.6:8000\n/);
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
