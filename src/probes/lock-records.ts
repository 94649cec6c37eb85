// How a lock key and its holder travel: keys name things from a CIB, a
// haproxy.cfg or an inventory, so they may hold anything; on a host or in
// etcd they become tokens of [A-Za-z0-9._:-] and `=XX` escapes only, safe as
// a file name, an etcd key, a shell word and a printf argument alike.
// Probes-level: the etcd probe reads the records the ops engine writes.
import { z } from 'zod';

/** Who holds a lock, as shown to the operator who was refused and on the locked items. */
export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  action: string;
  actionId: string;
  /** When the holder took the lock (ms since the epoch). */
  since: number;
}

/** One lock as the etcd probe reads it. */
export interface LockRecord {
  /** The lock key, as the engine names it (`host:web1`). */
  key: string;
  holder: LockHolder;
}

/** Where the etcd backend keeps one key per lock, `baton/locks/<token>`. */
export const LOCK_PREFIX = 'baton/locks/';

const SAFE = /[A-Za-z0-9._:-]/;

export function lockToken(key: string): string {
  if (key === '') throw new Error('a lock key cannot be empty');
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && SAFE.test(ch) ? ch : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // `.` and `..` are not names a directory can take.
  return /^\.+$/.test(out) ? out.replaceAll('.', '=2E') : out;
}

export function keyFromToken(token: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

const holderSchema = z.object({
  user: z.string(),
  host: z.string(),
  pid: z.number().int(),
  action: z.string(),
  actionId: z.string(),
  since: z.number(),
});

/** The holder as one base64 word: no quote or space can break the command that carries it. */
export const encodeHolder = (holder: LockHolder): string => Buffer.from(JSON.stringify(holder), 'utf8').toString('base64');

/** A record another baton wrote; anything unreadable is a holder we cannot name, never a free lock. */
export function decodeHolder(word: string): LockHolder {
  try {
    return holderSchema.parse(JSON.parse(Buffer.from(word.trim(), 'base64').toString('utf8')));
  } catch {
    return { user: '?', host: '?', pid: 0, action: `unreadable lock record ${JSON.stringify(word.slice(0, 60))}`, actionId: '?', since: 0 };
  }
}

/** "ops@laptop (pid 4242) since 12:03:01: exec 'uptime'" */
export function describeHolder(holder: LockHolder): string {
  const since = holder.since ? new Date(holder.since).toTimeString().slice(0, 8) : '?';
  return `${holder.user}@${holder.host} (pid ${holder.pid}) since ${since}: ${holder.action}`;
}
