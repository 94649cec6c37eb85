// known_hosts handling checked against the real OpenSSH tools: ssh-keygen
// hashes, fingerprints and finds what the parser and addHost produce.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  KnownHosts,
  checkHostKey,
  describeMismatch,
  describeUnknown,
  fingerprintSha256,
  globMatch,
  hostEntries,
  hostKeyAlgorithmsFor,
  knownKeyTypes,
  parseKnownHosts,
} from '../../src/transport/known-hosts.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/known_hosts/mixed');
const fixture = parseKnownHosts(readFileSync(FIXTURE, 'utf8'), FIXTURE);
const tmp = mkdtempSync(join(tmpdir(), 'baton-kh-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The key blob of a fixture line, by line number. */
function keyOnLine(line: number): Buffer {
  const e = fixture.entries.find((x) => x.line === line);
  if (!e) throw new Error(`no entry on line ${line}`);
  return e.key;
}
const ED = keyOnLine(4);
const ED_OTHER = keyOnLine(15);
const ECDSA = keyOnLine(5);
const RSA = keyOnLine(7);

/** A fresh ed25519 key pair made by ssh-keygen; returns the .pub path and its blob. */
let keyCount = 0;
function newKey(type = 'ed25519'): { pub: string; blob: Buffer } {
  const file = join(tmp, `key${keyCount++}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'test', '-f', file]);
  const pub = `${file}.pub`;
  const b64 = readFileSync(pub, 'utf8').split(' ')[1] ?? '';
  return { pub, blob: Buffer.from(b64, 'base64') };
}

describe('parseKnownHosts', () => {
  it('keeps good lines with their line numbers and reports bad ones as file:line', () => {
    expect(fixture.entries.map((e) => e.line)).toEqual([4, 5, 6, 7, 8, 9, 15, 16]);
    expect(fixture.problems.map((p) => p.line)).toEqual([10, 11, 12, 13, 14]);
    for (const p of fixture.problems) expect(p.message.startsWith(`${FIXTURE}:${p.line}: `)).toBe(true);
    expect(fixture.problems.map((p) => p.message.slice(FIXTURE.length))).toMatchInlineSnapshot(`
      [
        ":10: expected: [marker] hosts key-type base64-key [comment]",
        ":11: key is not base64 (ssh-ed25519)",
        ":12: unknown marker @bogus",
        ":13: key type ssh-rsa does not match the key data (ssh-ed25519)",
        ":14: bad hashed host |1|short|hash",
      ]
    `);
  });

  it('reads markers, patterns, types and comments', () => {
    const [web1, db1, lab] = fixture.entries;
    expect(web1).toMatchObject({ marker: undefined, keyType: 'ssh-ed25519', comment: 'web1 key' });
    expect(web1?.patterns).toEqual([
      { kind: 'plain', pattern: 'web1.example.com', negated: false },
      { kind: 'plain', pattern: '10.0.0.1', negated: false },
    ]);
    expect(db1).toMatchObject({ keyType: 'ecdsa-sha2-nistp256', comment: undefined });
    expect(lab?.patterns[1]).toEqual({ kind: 'plain', pattern: 'bad.lab.example.com', negated: true });
    expect(fixture.entries.find((e) => e.line === 8)?.marker).toBe('cert-authority');
    expect(fixture.entries.find((e) => e.line === 9)?.marker).toBe('revoked');
    expect(fixture.entries.find((e) => e.line === 16)?.comment).toBe('two  words');
  });

  it('accepts CRLF line ends', () => {
    const text = readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n');
    expect(parseKnownHosts(text, 'crlf').entries).toHaveLength(fixture.entries.length);
  });
});

describe('checkHostKey', () => {
  const check = (host: string, port: number, key: Buffer) => checkHostKey(hostEntries(fixture.entries, host, port), key);

  it('finds plain names and addresses, case-insensitively, on port 22 only', () => {
    expect(check('web1.example.com', 22, ED)).toEqual({ status: 'known', file: FIXTURE, line: 4 });
    expect(check('WEB1.Example.COM', 22, ED)).toMatchObject({ status: 'known', line: 4 });
    expect(check('10.0.0.1', 22, ED)).toMatchObject({ status: 'known', line: 4 });
    expect(check('web1.example.com', 2222, ED)).toEqual({ status: 'unknown', knownTypes: [] });
  });

  it('matches [host]:port entries only on that port', () => {
    expect(check('db1.example.com', 2222, ECDSA)).toMatchObject({ status: 'known', line: 5 });
    expect(check('db1.example.com', 22, ECDSA)).toMatchObject({ status: 'unknown' });
  });

  it('reports another key type on file as unknown, naming the known types', () => {
    expect(check('db1.example.com', 2222, ED)).toEqual({ status: 'unknown', knownTypes: ['ecdsa-sha2-nistp256'] });
  });

  it('applies wildcards and lets a negated pattern veto the line', () => {
    expect(check('api.lab.example.com', 22, ED)).toMatchObject({ status: 'known', line: 6 });
    expect(check('bad.lab.example.com', 22, ED)).toEqual({ status: 'unknown', knownTypes: [] });
    expect(check('build-01', 22, RSA)).toMatchObject({ status: 'known', line: 7 });
    expect(check('build-001', 22, RSA)).toMatchObject({ status: 'unknown' });
  });

  it('reports a different key of the same type as a mismatch with its line', () => {
    expect(check('api.lab.example.com', 22, ED_OTHER)).toEqual({
      status: 'mismatch',
      file: FIXTURE,
      line: 6,
      knownTypes: ['ssh-ed25519'],
    });
  });

  it('reports a revoked key even when a plain line also lists it', () => {
    expect(check('stolen.example.com', 22, ED_OTHER)).toEqual({ status: 'revoked', file: FIXTURE, line: 9 });
  });

  it('does not treat @cert-authority keys as host keys', () => {
    expect(check('ca-only.example.com', 22, ED_OTHER)).toEqual({ status: 'unknown', knownTypes: [] });
  });

  it('lists known key types and maps RSA to its SHA-2 algorithms', () => {
    expect(knownKeyTypes(hostEntries(fixture.entries, 'build-07', 22))).toEqual(['ssh-rsa']);
    expect(knownKeyTypes(hostEntries(fixture.entries, 'nowhere', 22))).toEqual([]);
    expect(hostKeyAlgorithmsFor(['ssh-ed25519', 'ssh-rsa', 'ssh-ed25519'])).toEqual([
      'ssh-ed25519',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
  });
});

describe('globMatch', () => {
  it('agrees with an anchored regular expression', () => {
    const toRegex = (p: string) => new RegExp(`^${p.replace(/[.]/g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    fc.assert(
      fc.property(fc.stringMatching(/^[ab.]{0,8}$/), fc.stringMatching(/^[ab.*?]{0,8}$/), (text, pattern) => {
        expect(globMatch(text, pattern)).toBe(toRegex(pattern).test(text));
      }),
    );
  });
});

describe('with the real OpenSSH tools', () => {
  it('matches entries hashed by ssh-keygen -H', () => {
    const { blob } = newKey();
    const file = join(tmp, 'hashed');
    const b64 = blob.toString('base64');
    writeFileSync(file, `[127.0.0.1]:2222 ssh-ed25519 ${b64}\nexample.com ssh-ed25519 ${b64}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    const parsed = parseKnownHosts(readFileSync(file, 'utf8'), file);
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.every((e) => e.patterns[0]?.kind === 'hashed')).toBe(true);
    expect(checkHostKey(hostEntries(parsed.entries, '127.0.0.1', 2222), blob)).toMatchObject({ status: 'known', line: 1 });
    expect(checkHostKey(hostEntries(parsed.entries, 'example.com', 22), blob)).toMatchObject({ status: 'known', line: 2 });
    expect(checkHostKey(hostEntries(parsed.entries, '127.0.0.1', 22), blob)).toMatchObject({ status: 'unknown' });
  });

  it.each(['ed25519', 'rsa', 'ecdsa'])('prints the same %s fingerprint as ssh-keygen -lf', (type) => {
    const { pub, blob } = newKey(type);
    const printed = execFileSync('ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprintSha256(blob)).toBe(printed);
  });

  it('addHost creates ~/.ssh-like dirs and writes a plain line ssh-keygen -F finds', async () => {
    const { blob } = newKey();
    const file = join(tmp, 'home', '.ssh', 'known_hosts');
    const kh = await KnownHosts.load(file);
    expect(kh.entries).toEqual([]);
    await kh.addHost('127.0.0.1', 2222, blob);
    await kh.addHost('127.0.0.1', 2222, blob);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(tmp, 'home', '.ssh')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${blob.toString('base64')}\n`);
    expect(kh.check('127.0.0.1', 2222, blob)).toMatchObject({ status: 'known', line: 1 });
    const found = spawnSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
    expect(found.status).toBe(0);
    expect(found.stdout).toContain(blob.toString('base64'));
  });

  it('addHost hashes when the file already does, and mends a missing final newline', async () => {
    const old = newKey().blob;
    const file = join(tmp, 'hashed-add');
    writeFileSync(file, `example.com ssh-ed25519 ${old.toString('base64')}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd());
    const kh = await KnownHosts.load(file);
    const added = await Promise.all([1, 2, 3].map(async (i) => {
      const { blob } = newKey();
      await kh.addHost('127.0.0.1', 2220 + i, blob);
      return blob;
    }));
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.slice(0, 4).every((l) => l.startsWith('|1|'))).toBe(true);
    expect(kh.problems).toEqual([]);
    for (const [i, blob] of added.entries()) {
      expect(kh.check('127.0.0.1', 2221 + i, blob).status).toBe('known');
      const found = spawnSync('ssh-keygen', ['-F', `[127.0.0.1]:${2221 + i}`, '-f', file], { encoding: 'utf8' });
      expect(found.status).toBe(0);
    }
  });

  it('treats a missing file as empty', async () => {
    const kh = await KnownHosts.load(join(tmp, 'does-not-exist'));
    expect(kh.check('example.com', 22, ED)).toEqual({ status: 'unknown', knownTypes: [] });
  });
});

describe('messages', () => {
  it('tell how to trust an unknown host', () => {
    const text = describeUnknown('10.1.2.3', 2222, 'SHA256:abc', '/home/op/.ssh/known_hosts');
    expect(text).toContain('[10.1.2.3]:2222');
    expect(text).toContain('SHA256:abc');
    expect(text).toContain('ssh-keyscan -p 2222 10.1.2.3 >> /home/op/.ssh/known_hosts');
    expect(text).toContain('--accept-new');
  });

  it('name the offending line and how to remove it', () => {
    const text = describeMismatch('db1', 2222, 'SHA256:abc', '/k h', 7);
    expect(text).toContain('HAS CHANGED');
    expect(text).toContain('SHA256:abc');
    expect(text).toContain('/k h:7');
    // The printed command must reach ssh-keygen with exactly these arguments.
    const command = text.split('\n').find((l) => l.trim().startsWith('ssh-keygen -R')) ?? '';
    const argv = execFileSync('sh', ['-c', `printf '%s\\n' ${command.trim().slice('ssh-keygen '.length)}`], { encoding: 'utf8' });
    expect(argv).toBe('-R\n[db1]:2222\n-f\n/k h\n');
    expect(describeMismatch('db1', 22, 'SHA256:abc', '/k', 1)).toContain('ssh-keygen -R db1 -f /k');
  });
});
