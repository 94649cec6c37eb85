// The lock-dir backend, for fleets without etcd: a directory per key on the
// host that owns the key, made with mkdir (atomic: of two racers exactly one
// succeeds). Inside, `owner` (the holder, written by temp file + rename) and
// `heartbeat` (touched by the holder every third of the TTL). A lock whose
// heartbeat is older than the TTL belongs to a holder that is gone: it is
// renamed away (atomic too, so one taker wins) and taken anew. Ages are
// measured with the host's own clock on both ends.
import { quote } from 'shell-quote';
import type { Transport } from '../../../transport/types.js';
import { LeaseRenewal } from './lease-renewal.js';
import { decodeHolder, encodeHolder, keyFromToken, lockToken } from '../../../probes/lock-records.js';
import { LockHeldError, type HeldLock, type LockHolder, type LockManager } from './lock-types.js';

/** Shared by every login user on the host: sticky like /tmp, so nobody removes another's lock but root. */
export const LOCK_ROOT = '/tmp/baton-locks';

export interface DirLockOptions {
  transports: ReadonlyMap<string, Transport>;
  /** The host whose lock directory holds a key. */
  hostFor(key: string): string;
  ttlMs: number;
  root?: string;
}

const ROOT_SETUP = (root: string) => `bt_root=${quote([root])}; mkdir -p "$bt_root" 2>/dev/null && chmod 1777 "$bt_root" 2>/dev/null; bt_now=$(date +%s)`;
const AGE = 'bt_hb=$(stat -c %Y "$bt_l/heartbeat" 2>/dev/null || stat -c %Y "$bt_l" 2>/dev/null || echo "$bt_now"); bt_age=$((bt_now - bt_hb))';

/** Takes every token or none; prints `held TOKEN AGE OWNER` and exits 3 on the first one held. */
function acquireScript(root: string, tokens: string[], owner: string, ttlSeconds: number): string {
  return [
    ROOT_SETUP(root),
    `bt_owner=${quote([owner])}; bt_got=''`,
    `for bt_k in ${quote(tokens)}; do`,
    '  bt_l="$bt_root/$bt_k"',
    '  if ! mkdir "$bt_l" 2>/dev/null; then',
    `    ${AGE}`,
    `    if [ "$bt_age" -gt ${ttlSeconds} ] && mv "$bt_l" "$bt_l.stale.$$" 2>/dev/null; then rm -rf "$bt_l.stale.$$"; mkdir "$bt_l" 2>/dev/null || bt_age=-1; else bt_age=-1; fi`,
    '    if [ "$bt_age" = -1 ]; then',
    `      ${AGE}`,
    '      printf \'held %s %s %s\\n\' "$bt_k" "$bt_age" "$(cat "$bt_l/owner" 2>/dev/null)"',
    '      for bt_g in $bt_got; do rm -rf "$bt_root/$bt_g"; done; exit 3',
    '    fi',
    '  fi',
    '  printf \'%s\\n\' "$bt_owner" >"$bt_l/owner.$$" && mv "$bt_l/owner.$$" "$bt_l/owner" && touch "$bt_l/heartbeat" || { echo "cannot write $bt_l/owner" >&2; rm -rf "$bt_l"; for bt_g in $bt_got; do rm -rf "$bt_root/$bt_g"; done; exit 1; }',
    '  bt_got="$bt_got $bt_k"',
    'done',
    'echo acquired',
  ].join('\n');
}

/** Touches (renew) or removes (release) the tokens still ours; prints `lost TOKEN` for the others. */
function ownScript(root: string, tokens: string[], owner: string, what: 'renew' | 'release'): string {
  const act = what === 'renew' ? 'touch "$bt_l/heartbeat"' : 'rm -rf "$bt_l"';
  return [
    `bt_root=${quote([root])}; bt_owner=${quote([owner])}`,
    `for bt_k in ${quote(tokens)}; do`,
    '  bt_l="$bt_root/$bt_k"',
    `  if [ "$(cat "$bt_l/owner" 2>/dev/null)" = "$bt_owner" ]; then ${act}; else echo "lost $bt_k"; fi`,
    'done',
  ].join('\n');
}

function holdersScript(root: string, tokens: string[]): string {
  return [
    ROOT_SETUP(root),
    `for bt_k in ${quote(tokens)}; do`,
    '  bt_l="$bt_root/$bt_k"',
    `  [ -d "$bt_l" ] || continue; ${AGE}`,
    '  printf \'held %s %s %s\\n\' "$bt_k" "$bt_age" "$(cat "$bt_l/owner" 2>/dev/null)"',
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

/** mkdir done, owner not yet written: somebody is taking it right now. */
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
      const r = await this.exec(hostId, acquireScript(this.root, tokens, owner, Math.ceil(this.options.ttlMs / 1000)));
      if (r.code === 3) {
        const [held] = parseHeld(r.stdout);
        throw new LockHeldError(held?.key ?? keyFromToken(tokens[0]!), held?.holder ?? beingTaken());
      }
      if (r.code !== 0 || !r.stdout.includes('acquired')) throw new Error(`cannot take the lock on ${hostId}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`);
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
      const replies = await Promise.all(taken.map(async ([hostId, tokens]) => ({ hostId, r: await this.exec(hostId, ownScript(this.root, tokens, owner, 'renew')) })));
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
    await Promise.all(taken.map(([hostId, tokens]) => this.exec(hostId, ownScript(this.root, tokens, owner, 'release'))));
  }

  private async exec(hostId: string, script: string) {
    const transport = this.options.transports.get(hostId);
    if (!transport) throw new Error(`no connection to ${hostId} for its lock directory`);
    await transport.connect();
    const r = await transport.exec(script, { timeoutMs: 10_000 });
    if (r.timedOut) throw new Error(`taking the lock on ${hostId} timed out`);
    return r;
  }
}
