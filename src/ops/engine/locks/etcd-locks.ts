// The etcd backend: one lease per action run, every key put under it in one
// transaction that succeeds only if none of the keys exists yet (create
// revision 0), so of two racers exactly one wins. The lease is kept alive
// while the action runs; if the console dies, it expires after the TTL and
// the keys go with it. The transaction's revision is the fencing token the
// journal keeps: locks alone do not stop a holder that was paused past its
// lease, a token compared by the protected side does.
import { parse } from 'lossless-json';
import { quote } from 'shell-quote';
import type { EtcdRole } from '../../../inventory/types.js';
import type { CommandResult, Transport } from '../../../transport/types.js';
import { LeaseRenewal } from './lease-renewal.js';
import { readLockRecords } from '../../../probes/etcd-json.js';
import { decodeHolder, encodeHolder, keyFromToken, LOCK_PREFIX, lockToken } from '../../../probes/lock-records.js';
import { LockHeldError, type HeldLock, type LockHolder, type LockManager } from './lock-types.js';

export interface EtcdMember {
  hostId: string;
  role: EtcdRole;
}

export interface EtcdLockOptions {
  transports: ReadonlyMap<string, Transport>;
  /** The etcd hosts of the inventory, tried in order until one answers. */
  members: readonly EtcdMember[];
  ttlMs: number;
}

/** etcdctl with the member's endpoint and TLS files, every value quoted. */
function etcdctl(role: EtcdRole): string {
  const flags = ['--endpoints', role.endpoint ?? 'http://127.0.0.1:2379', '--dial-timeout=2s', '--command-timeout=5s'];
  for (const name of ['cacert', 'cert', 'key'] as const) if (role[name] !== undefined) flags.push(`--${name}`, role[name]);
  return `env ETCDCTL_API=3 etcdctl ${quote(flags)}`;
}

/** Lines of an `etcdctl txn` request; tokens and base64 owners hold no space or quote. */
function txnLines(tokens: string[], owner: string): string[] {
  return [
    ...tokens.map((t) => `create("${LOCK_PREFIX}${t}") = "0"`),
    '',
    ...tokens.map((t) => `put --lease=@LEASE@ ${LOCK_PREFIX}${t} ${owner}`),
    '',
    ...tokens.map((t) => `get ${LOCK_PREFIX}${t}`),
    '',
  ];
}

interface TxnReply {
  header?: { revision?: { value: string } };
  succeeded?: boolean;
  responses?: { Response?: { ResponseRange?: { kvs?: { key: string; value: string }[] } } }[];
}

const deleteCommand = (role: EtcdRole, key: string): string => `${etcdctl(role)} del ${quote([LOCK_PREFIX + lockToken(key)])}`;

/** Every member would say the same: the lease is gone. */
const leaseGone = (r: CommandResult): boolean => /lease not found|requested lease not found|lease expired/i.test(r.stderr);

export class EtcdLockManager implements LockManager {
  readonly backend = 'etcd' as const;

  constructor(private readonly options: EtcdLockOptions) {}

  async acquire(keys: readonly string[], holder: LockHolder): Promise<HeldLock> {
    const tokens = [...new Set(keys)].sort().map(lockToken);
    const owner = encodeHolder(holder);
    const ttlSeconds = Math.max(2, Math.ceil(this.options.ttlMs / 1000));
    const { stdout } = await this.run((role) => this.acquireCommand(role, tokens, owner, ttlSeconds));
    const lease = /^lease ([0-9a-f]+)$/m.exec(stdout)?.[1];
    const reply = this.txnReply(stdout);
    if (!lease || !reply) throw new Error(`etcd lock: unexpected reply from etcdctl: ${stdout.slice(0, 300)}`);
    if (!reply.succeeded) {
      const held = (reply.responses ?? []).flatMap((r) => r.Response?.ResponseRange?.kvs ?? [])[0];
      const key = held ? keyFromToken(Buffer.from(held.key, 'base64').toString('utf8').slice(LOCK_PREFIX.length)) : keyFromToken(tokens[0]!);
      throw new LockHeldError(key, held ? decodeHolder(Buffer.from(held.value, 'base64').toString('utf8')) : decodeHolder(''));
    }
    const renewal = new LeaseRenewal(this.options.ttlMs, async () => {
      const r = await this.run((role) => `${etcdctl(role)} lease keep-alive --once ${quote([lease])}`, leaseGone);
      return r.code === 0 ? undefined : `etcd lease ${lease} expired or was revoked`;
    });
    renewal.start();
    let released = false;
    return {
      backend: 'etcd',
      keys: [...keys],
      token: reply.header?.revision?.value,
      release: async () => {
        if (released) return;
        released = true;
        renewal.stop();
        await this.run((role) => `${etcdctl(role)} lease revoke ${quote([lease])}`, leaseGone);
      },
      onLost: (listener) => renewal.onLost(listener),
    };
  }

  async holders(keys: readonly string[]): Promise<Map<string, LockHolder>> {
    const all = await this.allHolders();
    return new Map([...all].filter(([key]) => keys.includes(key)));
  }

  /** Every lock baton holds in this etcd, for the panes' "held by" marks. */
  async allHolders(): Promise<Map<string, LockHolder>> {
    const { stdout } = await this.run((role) => `${etcdctl(role)} get --prefix ${quote([LOCK_PREFIX])} -w json`);
    return new Map(readLockRecords(stdout).records.map((r) => [r.key, r.holder]));
  }

  async breakLock(key: string): Promise<void> {
    await this.run((role) => deleteCommand(role, key));
  }

  breakStep(key: string): { hostId: string; command: string } {
    const { members, transports } = this.options;
    const member = members.find((m) => transports.get(m.hostId)?.state === 'up') ?? members[0]!;
    return { hostId: member.hostId, command: deleteCommand(member.role, key) };
  }

  private acquireCommand(role: EtcdRole, tokens: string[], owner: string, ttlSeconds: number): string {
    const ctl = etcdctl(role);
    return [
      `bt_g=$(${ctl} lease grant ${ttlSeconds}) || { printf '%s\\n' "$bt_g" >&2; exit 1; }`,
      'bt_id=${bt_g#lease }; bt_id=${bt_id%% *}',
      'echo "lease $bt_id"',
      `bt_r=$(printf '%s\\n' ${quote(txnLines(tokens, owner))} | sed "s/@LEASE@/$bt_id/" | ${ctl} txn -w json) || { printf '%s\\n' "$bt_r" >&2; ${ctl} lease revoke "$bt_id" >/dev/null 2>&1; exit 1; }`,
      'printf \'%s\\n\' "$bt_r"',
      `case $bt_r in *'"succeeded":true'*) ;; *) ${ctl} lease revoke "$bt_id" >/dev/null 2>&1 ;; esac`,
    ].join('\n');
  }

  private txnReply(stdout: string): TxnReply | undefined {
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    try {
      return line ? (parse(line) as TxnReply) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Runs an etcdctl command on the first etcd host that answers; a failure
   * that `final` accepts is an answer too (the next member would say the same).
   */
  private async run(command: (role: EtcdRole) => string, final: (r: CommandResult) => boolean = () => false) {
    const problems: string[] = [];
    for (const { hostId, role } of this.options.members) {
      const transport = this.options.transports.get(hostId);
      if (!transport) continue;
      try {
        await transport.connect();
        const r = await transport.exec(command(role), { timeoutMs: 10_000 });
        if (r.code === 0 || (!r.timedOut && final(r))) return r;
        problems.push(`${hostId}: ${r.timedOut ? 'timed out' : r.stderr.trim() || `exit ${r.code}`}`);
      } catch (err) {
        problems.push(`${hostId}: ${(err as Error).message}`);
      }
    }
    throw new Error(`etcd lock: no etcd member answered (${problems.join('; ') || 'no etcd host in the inventory'})`);
  }
}
