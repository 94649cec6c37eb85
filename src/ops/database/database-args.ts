// The arguments every database action takes: one server, and for promote the
// guards the operator overrides by typing the set's name (the same for
// PostgreSQL and MySQL/MariaDB).
import { UsageError } from '../engine/registry.js';
import { positiveNumberOption } from '../target-args.js';

/** The seed's replication alert threshold is also the promote limit. */
export const DEFAULT_MAX_LAG_SECONDS = 60;

export interface DatabaseArgs<Op extends string> {
  op: Op;
  host: string;
  /** promote: the set's name, typed: the old primary is fenced. */
  fenced?: string;
  /** promote: the set's name, typed: promote whatever the lag. */
  acceptLag?: string;
  /** promote: the replay lag above which it is refused, ms. */
  maxLagMs: number;
  timeoutMs: number;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** parseArgs of `KIND.OP HOST [--fenced SET] [--accept-lag SET] [--max-lag S] [--timeout S]`. */
export function databaseArgsParser<Op extends string>(kind: 'postgresql' | 'mysql', op: Op, server: string, defaultTimeoutSeconds: number) {
  return (argv: string[], options: Record<string, unknown>): DatabaseArgs<Op> => {
    if (argv.length !== 1) throw new UsageError(`${kind}.${op} needs HOST (${server})`);
    if (op !== 'promote' && (options.fenced !== undefined || options.acceptLag !== undefined)) throw new UsageError(`--fenced and --accept-lag are for ${kind}.promote`);
    return {
      op,
      host: argv[0]!,
      ...(text(options.fenced) !== undefined ? { fenced: text(options.fenced) } : {}),
      ...(text(options.acceptLag) !== undefined ? { acceptLag: text(options.acceptLag) } : {}),
      maxLagMs: positiveNumberOption(options.maxLag, DEFAULT_MAX_LAG_SECONDS, 'max-lag') * 1000,
      timeoutMs: positiveNumberOption(options.timeout, defaultTimeoutSeconds, 'timeout') * 1000,
    };
  };
}
