// `postgresql.promote HOST [--fenced SET] [--accept-lag SET] [--max-lag S]`,
// `postgresql.pause-replay HOST`, `postgresql.resume-replay HOST`.
import type { ActionDefinition } from '../engine/registry.js';
import { databaseArgsParser } from './database-args.js';
import { observePostgresql, type PgFacts } from './postgresql-observe.js';
import { planPostgresql, type PgArgs, type PgOp } from './postgresql-plan.js';
import { verifyPostgresql } from './postgresql-verify.js';

const TIMEOUT_SECONDS: Record<PgOp, number> = { promote: 70, 'pause-replay': 15, 'resume-replay': 15 };

function pgAction(op: PgOp, summary: string, usage: string): ActionDefinition<PgArgs, PgFacts> {
  return { name: `postgresql.${op}`, summary, usage, scope: 'postgresql.server', parseArgs: databaseArgsParser('postgresql', op, 'a server with the postgresql role', TIMEOUT_SECONDS[op]), observe: observePostgresql, plan: planPostgresql, verify: verifyPostgresql };
}

export const postgresqlActions = [
  pgAction('promote', 'promote a PostgreSQL standby to primary (refused while the old primary answers as primary, or above --max-lag)', 'HOST [--fenced SET] [--accept-lag SET] [--max-lag SECONDS]'),
  pgAction('pause-replay', 'pause WAL replay on a PostgreSQL standby (maintenance; its lag grows)', 'HOST'),
  pgAction('resume-replay', 'resume WAL replay on a PostgreSQL standby', 'HOST'),
];
