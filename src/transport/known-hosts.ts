// OpenSSH known_hosts: parse it, look a host up the way ssh does, and append a
// new key the way `StrictHostKeyChecking accept-new` does. Everything except
// the KnownHosts class is pure, so the transport can check a key synchronously
// inside ssh2's hostVerifier.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { quote } from 'shell-quote';

export type HostPattern =
  | { kind: 'hashed'; salt: Buffer; hash: Buffer }
  /** Lower-cased; may hold `*` and `?`, or be `[host]:port`. */
  | { kind: 'plain'; pattern: string; negated: boolean };

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: 'cert-authority' | 'revoked';
  patterns: HostPattern[];
  /** Taken from the key blob, which the line's type field must agree with. */
  keyType: string;
  key: Buffer;
  comment?: string;
}

/** A line that could not be used; `message` starts with `file:line:`. */
export interface KnownHostsProblem {
  file: string;
  line: number;
  message: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostEntry[];
  problems: KnownHostsProblem[];
}

export type HostKeyCheck =
  | { status: 'known'; file: string; line: number }
  /** knownTypes: key types on file for this host, none of them the presented one. */
  | { status: 'unknown'; knownTypes: string[] }
  | { status: 'mismatch'; file: string; line: number; knownTypes: string[] }
  | { status: 'revoked'; file: string; line: number };

const HASH_MAGIC = '|1|';
const SHA1_LEN = 20;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function defaultKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

/** The name OpenSSH looks up and hashes: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** The key type is the first SSH string of the blob; undefined if the blob is not one. */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.toString('latin1', 4, 4 + len);
}

/** Same text as `ssh-keygen -lf`: `SHA256:` then unpadded base64. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function parseKnownHosts(text: string, file: string): ParsedKnownHosts {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const body = raw.replace(/\r$/, '').trim();
    if (body === '' || body.startsWith('#')) return;
    const parsed = parseLine(body);
    if (typeof parsed === 'string') problems.push({ file, line: i + 1, message: `${file}:${i + 1}: ${parsed}` });
    else entries.push({ file, line: i + 1, ...parsed });
  });
  return { entries, problems };
}

type LineFields = Omit<KnownHostEntry, 'file' | 'line'>;

/** Returns the entry's fields, or why the line is unusable. */
function parseLine(body: string): LineFields | string {
  let marker: LineFields['marker'];
  let rest = body;
  if (rest.startsWith('@')) {
    const [word = ''] = rest.split(/\s/, 1);
    if (word !== '@cert-authority' && word !== '@revoked') return `unknown marker ${word}`;
    marker = word === '@revoked' ? 'revoked' : 'cert-authority';
    rest = rest.slice(word.length).trimStart();
  }
  const m = /^(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(rest);
  if (!m) return 'expected: [marker] hosts key-type base64-key [comment]';
  const [, hosts = '', type = '', b64 = '', comment] = m;
  const patterns = parsePatterns(hosts);
  if (typeof patterns === 'string') return patterns;
  if (!BASE64.test(b64)) return `key is not base64 (${type})`;
  const key = Buffer.from(b64, 'base64');
  const blobType = keyTypeOf(key);
  if (blobType === undefined) return `key data is not an SSH public key (${type})`;
  if (blobType !== type) return `key type ${type} does not match the key data (${blobType})`;
  return { marker, patterns, keyType: blobType, key, comment };
}

function parsePatterns(field: string): HostPattern[] | string {
  // A hashed entry is the whole field, as in OpenSSH's match_maybe_hashed().
  if (field.startsWith('|')) {
    const parts = field.slice(HASH_MAGIC.length).split('|');
    const [salt = '', hash = ''] = parts;
    const ok = field.startsWith(HASH_MAGIC) && parts.length === 2 && BASE64.test(salt) && BASE64.test(hash);
    const saltBuf = Buffer.from(salt, 'base64');
    const hashBuf = Buffer.from(hash, 'base64');
    if (!ok || saltBuf.length !== SHA1_LEN || hashBuf.length !== SHA1_LEN) return `bad hashed host ${field}`;
    return [{ kind: 'hashed', salt: saltBuf, hash: hashBuf }];
  }
  return field.split(',').map((p) => {
    const negated = p.startsWith('!');
    return { kind: 'plain', pattern: (negated ? p.slice(1) : p).toLowerCase(), negated };
  });
}

/** `*` any run of characters, `?` exactly one, as OpenSSH's match_pattern(). */
export function globMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

export function hashHostName(name: string, salt: Buffer): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

/** OpenSSH's rule: any matching negated pattern vetoes the line, else one positive match is enough. */
function entryMatches(entry: KnownHostEntry, name: string): boolean {
  let positive = false;
  for (const p of entry.patterns) {
    if (p.kind === 'hashed') {
      if (hashHostName(name, p.salt).equals(p.hash)) positive = true;
    } else if (globMatch(name, p.pattern)) {
      if (p.negated) return false;
      positive = true;
    }
  }
  return positive;
}

/** The lines that name the host, in file order (a hashed line costs an HMAC per lookup). */
export function hostEntries(entries: readonly KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = hostLookupName(host, port);
  return entries.filter((e) => entryMatches(e, name));
}

/** Key types on file among the host's lines, in file order; CA and revoked lines are not host keys. */
export function knownKeyTypes(mine: readonly KnownHostEntry[]): string[] {
  const types = mine
    .filter((e) => e.marker === undefined)
    .map((e) => e.keyType);
  return [...new Set(types)];
}

/**
 * ssh2 `algorithms.serverHostKey` names for key types: an RSA key can sign with
 * SHA-2 as well as the legacy SHA-1, strongest first.
 */
export function hostKeyAlgorithmsFor(types: readonly string[]): string[] {
  const algos = types.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]));
  return [...new Set(algos)];
}

/** A revoked key wins over any other line; a different key of the same type is a mismatch. */
export function checkHostKey(mine: readonly KnownHostEntry[], keyBlob: Buffer): HostKeyCheck {
  const revoked = mine.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line };
  const plain = mine.filter((e) => e.marker === undefined);
  const known = plain.find((e) => e.key.equals(keyBlob));
  if (known) return { status: 'known', file: known.file, line: known.line };
  const knownTypes = [...new Set(plain.map((e) => e.keyType))];
  const type = keyTypeOf(keyBlob);
  const clash = plain.find((e) => e.keyType === type);
  if (clash) return { status: 'mismatch', file: clash.file, line: clash.line, knownTypes };
  return { status: 'unknown', knownTypes };
}

/** The line accept-new appends: no comment; hashed when `hashed`. */
export function knownHostsLine(host: string, port: number, keyBlob: Buffer, hashed: boolean): string {
  const type = keyTypeOf(keyBlob);
  if (type === undefined) throw new Error(`not an SSH public key blob (host ${displayName(host, port)})`);
  const name = hostLookupName(host, port);
  let field = name;
  if (hashed) {
    const salt = randomBytes(SHA1_LEN);
    field = `${HASH_MAGIC}${salt.toString('base64')}|${hashHostName(name, salt).toString('base64')}`;
  }
  return `${field} ${type} ${keyBlob.toString('base64')}`;
}

function displayName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function describeUnknown(host: string, port: number, fingerprint: string, file: string): string {
  const scan = quote(['ssh-keyscan', ...(port === 22 ? [] : ['-p', String(port)]), host]);
  return [
    `${displayName(host, port)} is not in ${file}; its host key fingerprint is ${fingerprint}.`,
    'Check it out of band (on the host: for f in /etc/ssh/ssh_host_*_key.pub; do ssh-keygen -lf "$f"; done), then trust it with',
    `  ${scan} >> ${quote([file])}`,
    'or connect once with --accept-new to record the key it presents.',
  ].join('\n');
}

export function describeMismatch(host: string, port: number, fingerprint: string, file: string, line: number): string {
  return [
    `WARNING: THE HOST KEY OF ${displayName(host, port)} HAS CHANGED. Someone may be intercepting this connection; not connecting.`,
    `It now presents ${fingerprint}, but ${file}:${line} holds a different key of the same type.`,
    'If the change is expected (host reinstalled, key rotated), verify the new fingerprint out of band, then remove the old entry with',
    `  ${quote(['ssh-keygen', '-R', displayName(host, port), '-f', file])}`,
  ].join('\n');
}

/** A known_hosts file loaded in memory; `addHost` appends and reloads. */
export class KnownHosts {
  entries: readonly KnownHostEntry[] = [];
  problems: readonly KnownHostsProblem[] = [];
  // Appends run one at a time so concurrent accept-new connections cannot interleave.
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly file: string = defaultKnownHostsFile()) {}

  static async load(file?: string): Promise<KnownHosts> {
    const kh = new KnownHosts(file);
    await kh.reload();
    return kh;
  }

  async reload(): Promise<void> {
    const parsed = parseKnownHosts(await readOrEmpty(this.file), this.file);
    this.entries = parsed.entries;
    this.problems = parsed.problems;
    this.byHost.clear();
  }

  check(host: string, port: number, keyBlob: Buffer): HostKeyCheck {
    return checkHostKey(this.linesOf(host, port), keyBlob);
  }

  knownKeyTypes(host: string, port: number): string[] {
    return knownKeyTypes(this.linesOf(host, port));
  }

  // A connection asks twice (key types to offer, then the key): one scan of the file per host.
  private readonly byHost = new Map<string, KnownHostEntry[]>();

  private linesOf(host: string, port: number): KnownHostEntry[] {
    const name = hostLookupName(host, port);
    let mine = this.byHost.get(name);
    if (mine === undefined) this.byHost.set(name, (mine = hostEntries(this.entries, host, port)));
    return mine;
  }

  /** Records the key unless it is already there; creates the file (0600) and its directory (0700). */
  addHost(host: string, port: number, keyBlob: Buffer): Promise<void> {
    const run = this.writes.then(async () => {
      const text = await readOrEmpty(this.file);
      const { entries } = parseKnownHosts(text, this.file);
      if (checkHostKey(hostEntries(entries, host, port), keyBlob).status !== 'known') {
        const hashed = entries.some((e) => e.patterns.some((p) => p.kind === 'hashed'));
        const sep = text === '' || text.endsWith('\n') ? '' : '\n';
        await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
        await appendFile(this.file, `${sep}${knownHostsLine(host, port, keyBlob, hashed)}\n`, { mode: 0o600 });
      }
      await this.reload();
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new Error(`cannot read known_hosts file ${file}: ${(err as Error).message}`, { cause: err });
  }
}
