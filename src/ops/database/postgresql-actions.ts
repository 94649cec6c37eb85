// `postgresql.promote HOST [--fenced SET] [--accept-lag SET] [--max-lag S]`,
// `postgresql.pause-replay HOST`, `postgresql.resume-replay HOST`.
import { UsageError, type ActionDefinition } from '../engine/registry.js';
import { positiveNumberOption } from '../target-args.js';
import { observePostgresql, type PgFacts } from './postgresql-observe.js';
import { planPostgresql, type PgArgs, type PgOp } from './postgresql-plan.js';
import { verifyPostgresql } from './postgresql-verify.js';

/** The seed's replication alert threshold is also the promote limit. */
export const DEFAULT_MAX_LAG_SECONDS = 60;
const TIMEOUT_SECONDS: Record<PgOp, number> = { promote: 70, 'pause-replay': 15, 'resume-replay': 15 };

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parser(op: PgOp) {
  return (argv: string[], options: Record<string, unknown>): PgArgs => {
    if (argv.length !== 1) throw new UsageError(`postgresql.${op} needs HOST (a server with the postgresql role)`);
    if (op !== 'promote' && (options.fenced !== undefined || options.acceptLag !== undefined)) throw new UsageError('--fenced and --accept-lag are for postgresql.promote');
    return {
      op,
      host: argv[0]!,
      ...(text(options.fenced) !== undefined ? { fenced: text(options.fenced) } : {}),
      ...(text(options.acceptLag) !== undefined ? { acceptLag: text(options.acceptLag) } : {}),
      maxLagMs: positiveNumberOption(options.maxLag, DEFAULT_MAX_LAG_SECONDS, 'max-lag') * 1000,
      timeoutMs: positiveNumberOption(options.timeout, TIMEOUT_SECONDS[op], 'timeout') * 1000,
    };
  };
}

function pgAction(op: PgOp, summary: string, usage: string): ActionDefinition<PgArgs, PgFacts> {
  return { name: `postgresql.${op}`, summary, usage, scope: 'postgresql.server', parseArgs: parser(op), observe: observePostgresql, plan: planPostgresql, verify: verifyPostgresql };
}

export const postgresqlActions = [
  pgAction('promote', 'promote a PostgreSQL standby to primary (refused while the old primary answers as primary, or above --max-lag)', 'HOST [--fenced SET] [--accept-lag SET] [--max-lag SECONDS]'),
  pgAction('pause-replay', 'pause WAL replay on a PostgreSQL standby (maintenance; its lag grows)', 'HOST'),
  pgAction('resume-replay', 'resume WAL replay on a PostgreSQL standby', 'HOST'),
];
