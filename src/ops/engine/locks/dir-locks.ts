// The lock-file backend, for fleets without etcd: a file per key on the host
// that owns the key, created with O_EXCL (the shell's noclobber `>`: of two
// racers exactly one succeeds). It holds the holder's record; its mtime is
// the heartbeat, touched by the holder every third of the TTL. A lock whose
// heartbeat is older than the TTL belongs to a holder that is gone: it is
// renamed away (atomic too, so one taker wins) and taken anew. Ages are
// measured with the host's own clock on both ends.
//
// Taking and checking are shell builtins only, run inside the host's pooled
// shell without a fork: a lock on 200 hosts costs one round trip each, and
// `date`, `stat` or `rm` run only when a lock is held, stale or given back.
// (Locks of baton before 0.2 were directories; a stale one is removed the same way.)
import { quote } from 'shell-quote';
import type { Transport } from '../../../transport/types.js';
import { LeaseRenewal } from './lease-renewal.js';
import { decodeHolder, encodeHolder, keyFromToken, lockToken } from '../../../probes/lock-records.js';
import { LockHeldError, type HeldLock, type LockHolder, type LockManager } from './lock-types.js';

/** Shared by every login user on the host: sticky like /tmp, so nobody removes another's lock but root. */
export const LOCK_ROOT = '/tmp/baton-locks';

export interface DirLockOptions {
  transports: ReadonlyMap<string, Transport>;
  /** The host whose lock file keeps a key. */
  hostFor(key: string): string;
  ttlMs: number;
  root?: string;
}

const vars = (root: string, owner?: string) => `bt_root=${quote([root])}${owner === undefined ? '' : `; bt_owner=${quote([owner])}`}`;
/** Creates "$bt_l" holding the owner only if it does not exist; bt_rc says whether it did. */
const CREATE = 'set -C; { printf \'%s\\n\' "$bt_owner" >"$bt_l"; } 2>/dev/null; bt_rc=$?; set +C';
/** The lock's holder record (empty while it is being written). */
const OWNER = 'bt_o=; IFS= read -r bt_o <"$bt_l" 2>/dev/null';
const AGE = 'bt_now=$(date +%s); bt_hb=$(stat -c %Y "$bt_l" 2>/dev/null || echo "$bt_now"); bt_age=$((bt_now - bt_hb))';

/**
 * Takes every token or none. Inline-safe (no exit, options restored): prints
 * `acquired`, or `held TOKEN AGE OWNER` for the first one held (the ones
 * taken before it are given back), or `error WHAT`.
 */
function acquireScript(root: string, tokens: string[], owner: string, ttlSeconds: number): string {
  return [
    `${vars(root, owner)}; bt_got=; bt_out=acquired`,
    '[ -d "$bt_root" ] || { mkdir -p "$bt_root" && chmod 1777 "$bt_root"; } 2>/dev/null',
    `for bt_k in ${quote(tokens)}; do`,
    '  bt_l="$bt_root/$bt_k"',
    `  ${CREATE}`,
    '  if [ "$bt_rc" != 0 ] && [ -e "$bt_l" ]; then',
    `    ${AGE}`,
    `    if [ "$bt_age" -gt ${ttlSeconds} ] && mv "$bt_l" "$bt_l.stale.$$" 2>/dev/null; then rm -rf "$bt_l.stale.$$"; ${CREATE}; fi`,
    '  fi',
    '  if [ "$bt_rc" != 0 ]; then',
    '    if [ -e "$bt_l" ]; then',
    `      ${AGE}; ${OWNER}`,
    '      bt_out="held $bt_k $bt_age $bt_o"',
    '    else bt_out="error cannot create $bt_l"; fi',
    '    for bt_g in $bt_got; do rm -f "$bt_root/$bt_g"; done',
    '    break',
    '  fi',
    '  bt_got="$bt_got $bt_k"',
    'done',
    'printf \'%s\\n\' "$bt_out"',
  ].join('\n');
}

/** Touches (renew) or removes (release) the tokens still ours, in one command; prints `lost TOKEN` for the others. */
function ownScript(root: string, tokens: string[], owner: string, what: 'renew' | 'release'): string {
  return [
    `${vars(root, owner)}; set --`,
    `for bt_k in ${quote(tokens)}; do`,
    `  bt_l="$bt_root/$bt_k"; ${OWNER}`,
    '  if [ "$bt_o" = "$bt_owner" ]; then set -- "$@" "$bt_l"; else echo "lost $bt_k"; fi',
    'done',
    `[ $# = 0 ] || ${what === 'renew' ? 'touch -c' : 'rm -f'} "$@"; set --`,
  ].join('\n');
}

function holdersScript(root: string, tokens: string[]): string {
  return [
    vars(root),
    `for bt_k in ${quote(tokens)}; do`,
    '  bt_l="$bt_root/$bt_k"',
    `  [ -e "$bt_l" ] || continue; ${AGE}; ${OWNER}`,
    '  printf \'held %s %s %s\\n\' "$bt_k" "$bt_age" "$bt_o"',
    'done',
  ].join('\n');
}

interface HeldLine {
  key: string;
  ageSeconds: number;
  holder: LockHolder;
}

function parseHeld(stdout: string): HeldLine[] {
  return stdout
    .split('\n')
    .map((line) => /^held (\S+) (-?\d+) ?(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ key: keyFromToken(m[1]!), ageSeconds: Number(m[2]), holder: m[3] ? decodeHolder(m[3]) : beingTaken() }));
}

/** Created, holder not yet written: somebody is taking it right now. */
const beingTaken = (): LockHolder => ({ user: '?', host: '?', pid: 0, action: '(being taken right now)', actionId: '?', since: 0 });

export class DirLockManager implements LockManager {
  readonly backend = 'dir' as const;
  private readonly root: string;

  constructor(private readonly options: DirLockOptions) {
    this.root = options.root ?? LOCK_ROOT;
  }

  async acquire(keys: readonly string[], holder: LockHolder): Promise<HeldLock> {
    const owner = encodeHolder(holder);
    const [gate, ...rest] = this.byHost(keys);
    const taken: [string, string[]][] = [];
    const take = async ([hostId, tokens]: [string, string[]]) => {
      const r = await this.exec(hostId, acquireScript(this.root, tokens, owner, Math.ceil(this.options.ttlMs / 1000)), true);
      const [held] = parseHeld(r.stdout);
      if (held) throw new LockHeldError(held.key, held.holder);
      if (r.code !== 0 || r.stdout.trim() !== 'acquired') throw new Error(`cannot take the lock on ${hostId}: ${(r.stdout + r.stderr).trim() || `exit ${r.code}`}`);
      taken.push([hostId, tokens]);
    };
    try {
      // The first host (in the order every taker uses) alone, then the rest at
      // once: of two takers of the same keys, the one that won the first host
      // wins them all, and 200 hosts cost two round trips, not 200.
      if (gate) await take(gate);
      const results = await Promise.allSettled(rest.map(take));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    } catch (err) {
      await this.releaseOn(taken, owner).catch(() => undefined);
      throw err;
    }
    const renewal = new LeaseRenewal(this.options.ttlMs, async () => {
      const replies = await Promise.all(taken.map(async ([hostId, tokens]) => ({ hostId, r: await this.exec(hostId, ownScript(this.root, tokens, owner, 'renew'), true) })));
      const lost = replies.flatMap(({ hostId, r }) => r.stdout.split('\n').filter((l) => l.startsWith('lost ')).map((l) => `${keyFromToken(l.slice(5))} on ${hostId}`));
      return lost.length ? `lock taken over or removed: ${lost.join(', ')}` : undefined;
    });
    renewal.start();
    let released = false;
    return {
      backend: 'dir',
      keys: [...keys],
      release: async () => {
        if (released) return;
        released = true;
        renewal.stop();
        await this.releaseOn(taken, owner);
      },
      onLost: (listener) => renewal.onLost(listener),
    };
  }

  async holders(keys: readonly string[]): Promise<Map<string, LockHolder>> {
    const found = new Map<string, LockHolder>();
    for (const [hostId, tokens] of this.byHost(keys)) {
      const r = await this.exec(hostId, holdersScript(this.root, tokens));
      for (const h of parseHeld(r.stdout)) found.set(h.key, h.holder);
    }
    return found;
  }

  breakStep(key: string): { hostId: string; command: string } {
    return { hostId: this.options.hostFor(key), command: `rm -rf ${quote([`${this.root}/${lockToken(key)}`])}` };
  }

  async breakLock(key: string): Promise<void> {
    const { hostId, command } = this.breakStep(key);
    const r = await this.exec(hostId, command);
    if (r.code !== 0) throw new Error(`cannot break the lock ${key} on ${hostId}: ${r.stderr.trim() || `exit ${r.code}`} (a lock another user took needs that user or root)`);
  }

  /** Keys grouped per host, hosts and keys sorted, so two takers always go in the same order. */
  private byHost(keys: readonly string[]): [string, string[]][] {
    const byHost = new Map<string, string[]>();
    for (const key of [...new Set(keys)].sort()) {
      const hostId = this.options.hostFor(key);
      byHost.set(hostId, [...(byHost.get(hostId) ?? []), lockToken(key)]);
    }
    return [...byHost].sort(([a], [b]) => a.localeCompare(b));
  }

  private async releaseOn(taken: [string, string[]][], owner: string): Promise<void> {
    await Promise.all(taken.map(([hostId, tokens]) => this.exec(hostId, ownScript(this.root, tokens, owner, 'release'), true)));
  }

  private async exec(hostId: string, script: string, inline = false) {
    const transport = this.options.transports.get(hostId);
    if (!transport) throw new Error(`no connection to ${hostId} for its lock file`);
    await transport.connect();
    const r = await transport.exec(script, { timeoutMs: 10_000, inline });
    if (r.timedOut) throw new Error(`taking the lock on ${hostId} timed out`);
    return r;
  }
}
