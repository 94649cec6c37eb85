// The PostgreSQL replication probe's remote command: one psql per poll, one
// query that returns one JSON object (no table scraping), framed with its
// stderr and exit code (probe-output.ts). Credentials stay on the host: peer
// authentication over the unix socket (with `sudo -u postgres`), or the
// login user's ~/.pgpass / PGPASSFILE; `-w` makes psql fail rather than
// prompt. The role needs pg_monitor (or superuser) to see other sessions'
// replication columns.
import { quote } from 'shell-quote';
import type { PostgresqlRole } from '../inventory/types.js';
import { MARK } from './probe-output.js';

/** Seconds psql may take to connect, and the server to answer. */
const CONNECT_TIMEOUT_S = 3;
const STATEMENT_TIMEOUT_MS = 3000;

const ms = (ts: string) => `(extract(epoch from ${ts}) * 1000)::bigint`;
const lagMs = (interval: string) => `(extract(epoch from ${interval}) * 1000)::bigint`;
/** Where this server's WAL is: its own insert position, or what it replayed. */
const HERE = 'CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END';

/**
 * One row, one JSON object. Recovery-only functions are called in CASE
 * branches only (they raise on a primary). Needs PostgreSQL 10 or later.
 */
export const POSTGRESQL_QUERY = `SELECT json_build_object(
 'version', current_setting('server_version_num')::int,
 'in_recovery', pg_is_in_recovery(),
 'system_id', (SELECT system_identifier::text FROM pg_control_system()),
 'cluster_name', current_setting('cluster_name'),
 'now_ms', ${ms('clock_timestamp()')},
 'wal_lsn', CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END,
 'wal_file', CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,
 'checkpoint_tli', (SELECT timeline_id FROM pg_control_checkpoint()),
 'receive_lsn', pg_last_wal_receive_lsn()::text,
 'replay_lsn', pg_last_wal_replay_lsn()::text,
 'replay_pending_bytes', pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),
 'last_replay_ms', ${ms('pg_last_xact_replay_timestamp()')},
 'replay_paused', CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END,
 'receiver', (SELECT json_build_object('status', status, 'sender_host', sender_host, 'sender_port', sender_port, 'slot_name', slot_name,
   'received_tli', received_tli, 'flushed_lsn', flushed_lsn::text, 'latest_end_lsn', latest_end_lsn::text,
   'last_msg_receipt_ms', ${ms('last_msg_receipt_time')}, 'latest_end_ms', ${ms('latest_end_time')}) FROM pg_stat_wal_receiver LIMIT 1),
 'standbys', (SELECT json_agg(json_build_object('application_name', application_name, 'client_addr', host(client_addr), 'state', state,
   'sync_state', sync_state, 'sent_lsn', sent_lsn::text, 'write_lsn', write_lsn::text, 'flush_lsn', flush_lsn::text, 'replay_lsn', replay_lsn::text,
   'lag_bytes', pg_wal_lsn_diff(${HERE}, replay_lsn),
   'write_lag_ms', ${lagMs('write_lag')}, 'flush_lag_ms', ${lagMs('flush_lag')}, 'replay_lag_ms', ${lagMs('replay_lag')}) ORDER BY application_name) FROM pg_stat_replication),
 'slots', (SELECT json_agg(json_build_object('slot_name', slot_name, 'slot_type', slot_type, 'active', active, 'wal_status', wal_status,
   'retained_bytes', pg_wal_lsn_diff(${HERE}, restart_lsn)) ORDER BY slot_name) FROM pg_replication_slots)
)`;

export const POSTGRESQL_SECTION = 'postgresql';

/** The psql argv (without sudo) for a role; every value is an argument, quoted by the caller. */
export function psqlArgs(role: PostgresqlRole, sql: string): string[] {
  return [
    role.psql ?? 'psql',
    '-AtX',
    '-w',
    '-v',
    'ON_ERROR_STOP=1',
    ...(role.host ? ['-h', role.host] : []),
    ...(role.port ? ['-p', String(role.port)] : []),
    ...(role.user ? ['-U', role.user] : []),
    '-d',
    role.database ?? 'postgres',
    '-c',
    sql,
  ];
}

/** `sudo -n -u USER` when the role says so (true: the postgres user, peer authentication). */
export function sudoPrefix(role: PostgresqlRole): string[] {
  if (role.sudo === undefined || role.sudo === false) return [];
  return ['sudo', '-n', '-u', role.sudo === true ? 'postgres' : role.sudo];
}

/** `sql` as one psql command line that exits non-zero when it fails (an action's step). */
export function psqlExec(role: PostgresqlRole, sql: string): string {
  const env = `PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT_S}`;
  return role.sudo ? `${quote(sudoPrefix(role))} env ${env} ${quote(psqlArgs(role, sql))} </dev/null` : `${env} ${quote(psqlArgs(role, sql))} </dev/null`;
}

/** Runs `sql` as the role says, framed: @@baton:NAME / stdout / @@baton:stderr / stderr / @@baton:exit CODE. */
export function psqlCommand(role: PostgresqlRole, sql: string, section = POSTGRESQL_SECTION): string {
  const env = `PGCONNECT_TIMEOUT=${CONNECT_TIMEOUT_S} PGOPTIONS=${quote([`-c statement_timeout=${STATEMENT_TIMEOUT_MS}`])}`;
  const argv = quote([...sudoPrefix(role), ...psqlArgs(role, sql)]);
  // sudo resets the environment: the settings go through `env` after it.
  const line = role.sudo ? `${quote(sudoPrefix(role))} env ${env} ${quote(psqlArgs(role, sql))}` : `${env} ${argv}`;
  return [
    `printf '${MARK}${section}\\n'`,
    `{ bt_e=$( { ${line} </dev/null; } 2>&1 1>&3 3>&-); bt_rc=$?; } 3>&1`,
    `printf '\\n${MARK}stderr\\n%s\\n${MARK}exit %s\\n' "$bt_e" "$bt_rc"`,
  ].join('\n');
}

export function postgresqlProbeCommand(role: PostgresqlRole): string {
  return psqlCommand(role, POSTGRESQL_QUERY);
}
