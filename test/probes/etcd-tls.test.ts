// The etcd probe against a real etcd that serves clients over TLS only and
// requires a client certificate (as a Kubernetes etcd does): certificates
// made with openssl, one member on 127.0.49.4, the probe's command run by sh
// with the real etcdctl and curl.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtcdRole } from '../../src/inventory/types.js';
import { etcdProbeCommand, parseEtcdProbe, type EtcdSnapshot } from '../../src/probes/etcd.js';
import { waitFor } from '../helpers/wait-for.js';

const ADDRESS = '127.0.49.4';
const ENDPOINT = `https://${ADDRESS}:2379`;
let dir = '';
let etcd: ChildProcess | undefined;
const file = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA, a server certificate for ADDRESS and a client certificate, all signed by the CA. */
function makeCertificates(): void {
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-subj', '/CN=baton test CA', '-days', '1', '-keyout', 'ca.key', '-out', 'ca.crt');
  for (const [name, usage] of [['server', `subjectAltName=IP:${ADDRESS}\nextendedKeyUsage=serverAuth`], ['client', 'extendedKeyUsage=clientAuth']] as const) {
    writeFileSync(file(`${name}.ext`), `${usage}\n`);
    openssl('req', ...key, '-subj', `/CN=baton ${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  }
}

function probe(role: EtcdRole): EtcdSnapshot {
  const r = spawnSync('sh', ['-c', etcdProbeCommand(role)], { encoding: 'utf8', timeout: 10_000 });
  const parsed = parseEtcdProbe(r.stdout);
  if (parsed.kind !== 'snapshot') throw new Error(parsed.message);
  return parsed.snapshot;
}

const withCertificates = (): EtcdRole => ({ endpoint: ENDPOINT, cacert: file('ca.crt'), cert: file('client.crt'), key: file('client.key') });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-etcd-tls-'));
  makeCertificates();
  const peer = `http://${ADDRESS}:2380`;
  etcd = spawn(
    'etcd',
    [
      '--name', 'tls1', '--data-dir', file('data'),
      '--listen-client-urls', ENDPOINT, '--advertise-client-urls', ENDPOINT,
      '--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer, '--initial-cluster', `tls1=${peer}`,
      '--cert-file', file('server.crt'), '--key-file', file('server.key'), '--client-cert-auth', '--trusted-ca-file', file('ca.crt'),
    ],
    { stdio: 'ignore' },
  );
  await waitFor(() => probe(withCertificates()).members[0]?.healthy === true, 15_000, 'the TLS etcd to serve');
}, 30_000);

afterAll(() => {
  etcd?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('etcd probe over TLS with client certificates', () => {
  it('reads the member, its leader and health with the role\'s CA, certificate and key', () => {
    const s = probe(withCertificates());
    expect(s.members).toHaveLength(1);
    expect(s.members[0]).toMatchObject({ name: 'tls1', endpoint: ENDPOINT, up: true, healthy: true, leader: true, errors: [] });
    expect(s).toMatchObject({ quorum: { voters: 1, up: 1, needed: 1, ok: true }, alarms: [], problems: [] });
  });

  it('without a client certificate: the member is not up, and the problems say the TLS handshake failed, not just a timeout', () => {
    const s = probe({ endpoint: ENDPOINT, cacert: file('ca.crt') });
    expect(s.members.map((m) => [m.endpoint, m.up])).toEqual([[ENDPOINT, false]]);
    expect(s.members[0]?.errors).toContainEqual(expect.stringMatching(/^TLS: curl: \(5[56]\) /));
    expect(s.problems[0]).toMatch(new RegExp(`^${ENDPOINT}: TLS fails: curl: \\(5[56]\\) .*\\(check the role's cacert, cert and key\\)$`));
    expect(s.problems[1]).toBe('etcdctl member list -w json: exit 1: Error: context deadline exceeded');
  });

  it('with a CA that did not sign the server\'s certificate: the problem says so', () => {
    const s = probe({ endpoint: ENDPOINT, cacert: file('client.crt'), cert: file('client.crt'), key: file('client.key') });
    expect(s.problems[0]).toMatch(new RegExp(`^${ENDPOINT}: TLS fails: curl: \\(60\\) SSL certificate problem`));
  });
});
