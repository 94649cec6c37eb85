// The NGINX probe on stub_status pages captured from the lab's real nginx,
// and on hand-made ones for what the lab cannot reach (over 1000 active,
// dropped connections; test/fixtures/nginx/README.md): the rates between
// two samples, the alert, quoting, and random or cut input.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveNginx, nginxProbeCommand, parseNginxProbe, type NginxSnapshot } from '../../src/probes/nginx.js';
import { nginxAlerts } from '../../src/probes/nginx-alerts.js';
import { mangledText } from '../helpers/mangled-text.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/nginx');
const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
const page = (name: string) => fixture(name.startsWith('lab-') ? `${name}.txt` : `handmade-stub-status-${name}.txt`);
const T0 = Date.UTC(2026, 10, 22, 4, 0, 0);

function snapshot(name: string, takenAt: number, via = 'curl'): NginxSnapshot {
  const r = parseNginxProbe(`@@baton:via ${via}\n${page(name)}`, takenAt);
  if (r.kind !== 'snapshot') throw new Error(`${name}: ${r.message}`);
  return r.snapshot;
}

describe('parseNginxProbe', () => {
  it('reads every field of the real nginx pages', () => {
    // What capture.sh holds open is fixed; the counters depend on the run.
    const held = snapshot('lab-held', T0);
    expect(held).toMatchObject({ via: 'curl', takenAt: T0, active: 151, reading: 100, writing: 1, waiting: 50 });
    expect(held.handled).toBe(held.accepts);
    expect(held.requests).toBeGreaterThan(1000);
    expect(snapshot('lab-fresh', T0)).toMatchObject({ active: 1, reading: 0, writing: 1, waiting: 0 });
    expect(snapshot('lab-fresh', T0).requests).toBeLessThan(5);
    for (const name of ['lab-fresh', 'lab-held', 'lab-traffic-t0', 'lab-traffic-t10']) {
      const s = snapshot(name, T0);
      expect(s.reading + s.writing + s.waiting, name).toBe(s.active);
    }
  });

  it('reads every stub_status field of the documentation example', () => {
    expect(snapshot('docs-example', T0, 'wget')).toEqual({
      via: 'wget', takenAt: T0, active: 291, accepts: 16630948, handled: 16630948, requests: 31070465, reading: 6, writing: 179, waiting: 106,
    });
  });

  it('says what came back instead of a stub_status page', () => {
    expect(parseNginxProbe('', T0)).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('@@baton:via') });
    expect(parseNginxProbe('@@baton:via curl\ncurl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused\n', T0)).toEqual({
      kind: 'parse-error',
      message: 'nginx: curl got no stub_status page (is statusUrl a stub_status location?): curl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused',
      raw: 'curl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused\n',
    });
    const stopped = fixture('lab-stopped.txt');
    expect(parseNginxProbe(`@@baton:via curl\n${stopped}`, T0)).toEqual({
      kind: 'parse-error',
      message: `nginx: curl got no stub_status page (is statusUrl a stub_status location?): ${stopped.trim()}`,
      raw: stopped,
    });
    expect(parseNginxProbe('@@baton:via wget\n', T0)).toMatchObject({ kind: 'parse-error', message: 'nginx: wget got an empty answer' });
    expect(parseNginxProbe('@@baton:none\nneither curl nor wget on the host: install one\n', T0)).toMatchObject({ kind: 'parse-error', message: 'neither curl nor wget on the host: install one' });
  });

  it('never throws on random, cut or mutated output', () => {
    const real = `@@baton:via curl\n${page('lab-held')}`;
    const text = mangledText(real);
    fc.assert(
      fc.property(text, (t) => {
        const r = parseNginxProbe(t, T0);
        expect(['snapshot', 'parse-error']).toContain(r.kind);
        if (r.kind === 'parse-error') expect(r.message.length).toBeGreaterThan(0);
        else expect(Object.values(r.snapshot).every((v) => typeof v === 'string' || Number.isSafeInteger(v))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('deriveNginx and nginxAlerts', () => {
  it('gives the request rate of real traffic through the lab nginx, and no rate across its restart', () => {
    const times = JSON.parse(fixture('lab-traffic.json')) as { t0: number; t10: number };
    const before = snapshot('lab-traffic-t0', times.t0);
    const after = snapshot('lab-traffic-t10', times.t10);
    const seconds = (times.t10 - times.t0) / 1000;
    const rates = deriveNginx(before, after);
    expect(rates).toEqual({ requestsPerSec: (after.requests - before.requests) / seconds, acceptsPerSec: (after.accepts - before.accepts) / seconds, dropped: 0 });
    expect(rates.requestsPerSec!).toBeGreaterThan(10);
    expect(deriveNginx(after, snapshot('lab-fresh', times.t10 + 5000))).toEqual({ requestsPerSec: null, acceptsPerSec: null, dropped: 0 });
  });

  it('gives rates per second from two samples, and dropped connections', () => {
    const before = snapshot('docs-example', T0);
    const after = snapshot('10s-later', T0 + 10_000);
    expect(deriveNginx(before, after)).toEqual({ requestsPerSec: 120, acceptsPerSec: 50, dropped: 8 });
    expect(deriveNginx(undefined, before)).toEqual({ requestsPerSec: null, acceptsPerSec: null, dropped: 0 });
  });

  it('gives no rate across an nginx restart or without elapsed time', () => {
    const before = snapshot('10s-later', T0);
    const restarted = { ...before, takenAt: T0 + 5_000, accepts: 3, handled: 3, requests: 7 };
    expect(deriveNginx(before, restarted)).toEqual({ requestsPerSec: null, acceptsPerSec: null, dropped: 0 });
    expect(deriveNginx(before, before)).toMatchObject({ requestsPerSec: null, acceptsPerSec: null });
  });

  it('warns above the active connection threshold', () => {
    expect(nginxAlerts(snapshot('docs-example', T0))).toEqual([]);
    expect(nginxAlerts(snapshot('10s-later', T0))).toEqual([{ severity: 'warn', message: 'nginx has 1204 active connections (over 1000)' }]);
    expect(nginxAlerts(snapshot('docs-example', T0), 200)).toEqual([{ severity: 'warn', message: 'nginx has 291 active connections (over 200)' }]);
    expect(nginxAlerts(snapshot('10s-later', T0), 2000)).toEqual([]);
    expect(nginxAlerts(snapshot('lab-held', T0))).toEqual([]);
    expect(nginxAlerts(snapshot('lab-held', T0), 150)).toEqual([{ severity: 'warn', message: 'nginx has 151 active connections (over 150)' }]);
  });
});

describe('nginxProbeCommand', () => {
  it('quotes the URL: a hostile one reaches curl as one word and runs nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-nginx-quote-'));
    try {
      // A stand-in curl that records its arguments, first on the PATH.
      writeFileSync(join(dir, 'curl'), `#!/bin/sh\nprintf '%s\\n' "$@" >"${dir}/argv"\n`, { mode: 0o755 });
      const hostile = `http://x/'; touch ${dir}/pwned; echo '$(touch ${dir}/pwned2)\`touch ${dir}/pwned3\``;
      const r = spawnSync('sh', ['-c', nginxProbeCommand({ statusUrl: hostile })], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` } });
      expect(r.stdout).toBe('@@baton:via curl\n');
      expect(readFileSync(join(dir, 'argv'), 'utf8')).toBe(`-fsS\n--max-time\n3\n${hostile}\n`);
      expect(['pwned', 'pwned2', 'pwned3'].filter((f) => existsSync(join(dir, f)))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to wget, and says when there is neither', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-nginx-wget-'));
    try {
      writeFileSync(join(dir, 'wget'), `#!/bin/sh\nprintf '%s\\n' "$@" >"${dir}/argv"\n`, { mode: 0o755 });
      const cmd = nginxProbeCommand({ statusUrl: 'http://127.0.0.1:8080/nginx-status' });
      expect(spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', env: { PATH: dir } }).stdout).toBe('@@baton:via wget\n');
      expect(readFileSync(join(dir, 'argv'), 'utf8')).toBe('-qO-\n-T\n3\nhttp://127.0.0.1:8080/nginx-status\n');
      const none = spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect(parseNginxProbe(none.stdout, T0)).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('neither curl nor wget') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
