// The HTTP check's parser on curl's real output (test/fixtures/http-check),
// the verdict against the inventory's expectations, Kubernetes' verbose
// health output check by check, and properties: it never throws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../src/inventory/types.js';
import { httpCheckCommand, parseHttpCheck, type HttpCheckResult } from '../../src/probes/http-check.js';
import { failedReadyz, parseReadyzVerbose } from '../../src/probes/http-check-readyz.js';

const DIR = join(import.meta.dirname, '../fixtures/http-check');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');
const check = (over: Partial<HealthCheck> = {}): HealthCheck => ({ name: 'api', url: 'http://127.0.0.1/readyz?verbose', from: { kind: 'local' }, expectStatus: [], insecure: false, ...over });

function result(file: string, over: Partial<HealthCheck> = {}): HttpCheckResult {
  const r = parseHttpCheck(fixture(file), check(over));
  if (r.kind !== 'result') throw new Error(`${file}: ${r.message}`);
  return r.result;
}

describe('parseReadyzVerbose', () => {
  it('reads every named check of the documentation output', () => {
    const checks = parseReadyzVerbose(fixture('readyz-docs-livez.txt'));
    expect(checks).toHaveLength(22);
    expect(checks.every((c) => c.ok && !c.excluded)).toBe(true);
    expect(checks.map((c) => c.name).slice(0, 4)).toEqual(['ping', 'log', 'etcd', 'poststarthook/start-kube-apiserver-admission-initializer']);
  });

  it('marks an excluded check, still ok', () => {
    const etcd = parseReadyzVerbose(fixture('readyz-docs-excluded.txt')).find((c) => c.name === 'etcd');
    expect(etcd).toEqual({ name: 'etcd', ok: true, excluded: true });
  });

  it('keeps the failed checks with their reason, and skips warn: and summary lines', () => {
    const checks = parseReadyzVerbose(fixture('readyz-failing.txt'));
    expect(checks).toHaveLength(9);
    expect(checks.filter((c) => !c.ok)).toEqual([
      { name: 'etcd', ok: false, excluded: false, reason: 'reason withheld' },
      { name: 'poststarthook/rbac/bootstrap-roles', ok: false, excluded: false, reason: 'reason withheld' },
    ]);
    expect(failedReadyz(checks)).toBe('etcd failed: reason withheld; poststarthook/rbac/bootstrap-roles failed: reason withheld');
  });

  it('reads a failure without a reason (an older apiserver)', () => {
    expect(parseReadyzVerbose('[-]informer-sync failed\nreadyz check failed')).toEqual([{ name: 'informer-sync', ok: false, excluded: false, reason: 'failed' }]);
  });

  it('finds nothing in a body that is not verbose health output', () => {
    expect(parseReadyzVerbose('ok')).toEqual([]);
    expect(parseReadyzVerbose('<html>[+]not a check</html>')).toEqual([]);
  });
});

describe('parseHttpCheck on curl output', () => {
  it('passes a Kubernetes readyz with its checks', () => {
    const r = result('curl-readyz.txt', { expectBody: 'readyz check passed' });
    expect(r).toMatchObject({ ok: true, status: 200, reason: null });
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.readyz).toHaveLength(19);
  });

  it('fails a readyz answering 500 and names the failed checks', () => {
    const r = result('curl-readyz-failing.txt');
    expect(r).toMatchObject({ ok: false, status: 500, reason: 'HTTP 500: etcd failed: reason withheld; poststarthook/rbac/bootstrap-roles failed: reason withheld' });
  });

  it('says why when no answer came: refused, untrusted certificate, over the size cap', () => {
    expect(result('curl-refused.txt')).toMatchObject({ ok: false, status: null, latencyMs: null, reason: "Failed to connect to 127.0.13.201 port 18222 after 0 ms: Couldn't connect to server" });
    expect(result('curl-tls-untrusted.txt')).toMatchObject({ ok: false, status: null, reason: 'SSL certificate problem: self-signed certificate' });
    expect(result('curl-too-big.txt')).toMatchObject({ ok: false, status: 200, reason: 'Maximum file size exceeded' });
  });

  it('passes TLS with the CA given or with insecure', () => {
    expect(result('curl-tls-cacert.txt')).toMatchObject({ ok: true, status: 200, body: 'ok' });
    expect(result('curl-tls-insecure.txt')).toMatchObject({ ok: true, status: 200 });
  });

  it('judges status, body and latency as the inventory expects', () => {
    expect(result('curl-not-found.txt')).toMatchObject({ ok: false, reason: 'HTTP 404' });
    expect(result('curl-not-found.txt', { expectStatus: [404] })).toMatchObject({ ok: true });
    expect(result('curl-healthz.txt', { expectStatus: [204] })).toMatchObject({ ok: false, reason: 'HTTP 200' });
    expect(result('curl-healthz.txt', { expectBody: '^ok$' })).toMatchObject({ ok: true });
    expect(result('curl-healthz.txt', { expectBody: 'ready' })).toMatchObject({ ok: false, reason: 'body does not match /ready/' });
    const slow = result('curl-slow.txt', { maxMs: 500 });
    expect(slow.ok).toBe(false);
    expect(slow.reason).toMatch(/^slow: 1\d\d\d ms \(max 500\)$/);
    expect(result('curl-slow.txt', { maxMs: 5000 }).ok).toBe(true);
  });

  it('is a parse error without curl, or with the output cut off', () => {
    expect(parseHttpCheck(fixture('curl-none.txt'), check())).toMatchObject({ kind: 'parse-error', message: 'no curl where the check runs: install curl there' });
    expect(parseHttpCheck(fixture('curl-healthz.txt').slice(0, 10), check())).toMatchObject({ kind: 'parse-error', raw: 'ok\n@@baton' });
  });
});

describe('httpCheckCommand', () => {
  it('quotes the URL and the CA path, whatever they hold', () => {
    const cmd = httpCheckCommand(check({ url: "http://h/x?a=1&b='$(reboot)'", cacert: '/etc/ca dir/ca.pem', insecure: true }));
    expect(cmd).toContain(`"http://h/x?a=1&b='\\$(reboot)'"`);
    expect(cmd).toContain(`'/etc/ca dir/ca.pem'`);
    expect(cmd).toContain('--insecure');
  });
});

describe('properties', () => {
  it('parseHttpCheck never throws, and a result always says ok xor a reason', () => {
    const lines = fc.oneof(fc.string(), fc.constantFrom('@@baton:check 200 0.1', '@@baton:check 000 0.0', '@@baton:exit 0', '@@baton:exit 7', 'curl: (7) refused', '[-]etcd failed: x', '@@baton:none'));
    fc.assert(
      fc.property(fc.array(lines, { maxLength: 8 }), fc.option(fc.string(), { nil: undefined }), (parts, body) => {
        const r = parseHttpCheck(parts.join('\n') + '\n', check({ expectBody: body === undefined ? undefined : body.replace(/[\\[(){}*+?.^$|]/g, '') }));
        if (r.kind === 'result') expect(r.result.ok).toBe(r.result.reason === null);
      }),
      { numRuns: 500 },
    );
  });

  it('parseReadyzVerbose never throws and finds one check per well-formed line', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9/-]{0,30}$/);
    const line = fc.tuple(name, fc.constantFrom('ok', 'excluded: ok', 'failed: reason withheld', 'failed')).map(([n, s]) => `[${s.startsWith('failed') ? '-' : '+'}]${n} ${s}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.string(), (good, noise) => {
        const checks = parseReadyzVerbose([...good, `x${noise.replace(/\n/g, '')}`].join('\n'));
        expect(checks).toHaveLength(good.length);
        expect(checks.filter((c) => !c.ok)).toHaveLength(good.filter((l) => l.startsWith('[-]')).length);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => void parseReadyzVerbose(s)));
  });
});
