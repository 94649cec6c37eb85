// The MySQL/MariaDB replication probe's remote command: the server's
// variables (read_only, super_read_only, GTID positions) and its replica
// status, each by the `mysql` client in --batch mode (tab-separated with a
// header row, no table scraping), framed with stderr and exit code
// (probe-output.ts). Replica status is asked the newest way first:
// MariaDB's multi-source SHOW ALL SLAVES STATUS, then MySQL 8's SHOW
// REPLICA STATUS, then SHOW SLAVE STATUS. Credentials stay on the host: an
// option file (--defaults-extra-file) or socket authentication (sudo).
import { quote } from 'shell-quote';
import type { MysqlRole } from '../inventory/types.js';
import { MARK } from './probe-output.js';

const CONNECT_TIMEOUT_S = 3;
export const MYSQL_VARIABLES = ['version', 'server_id', 'read_only', 'super_read_only', 'log_bin', 'gtid_binlog_pos', 'gtid_slave_pos', 'gtid_current_pos', 'gtid_executed'] as const;
export const VARIABLES_SQL = `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${MYSQL_VARIABLES.map((v) => `'${v}'`).join(', ')})`;
export const REPLICA_STATUS_SQL = ['SHOW ALL SLAVES STATUS', 'SHOW REPLICA STATUS', 'SHOW SLAVE STATUS'] as const;

/** `sudo -n -u USER` when the role says so (true: root, MariaDB's unix_socket root). */
function sudoPrefix(role: MysqlRole): string[] {
  if (role.sudo === undefined || role.sudo === false) return [];
  return ['sudo', '-n', '-u', role.sudo === true ? 'root' : role.sudo];
}

/** The client's argv up to (not including) `-e SQL`; --defaults-extra-file must come first. */
export function mysqlArgs(role: MysqlRole): string[] {
  const host = role.host === undefined ? [] : role.host.startsWith('/') ? ['-S', role.host] : ['-h', role.host];
  return [
    ...sudoPrefix(role),
    role.mysql ?? 'mysql',
    ...(role.defaultsFile ? [`--defaults-extra-file=${role.defaultsFile}`] : []),
    '--batch',
    `--connect-timeout=${CONNECT_TIMEOUT_S}`,
    ...host,
    ...(role.port ? ['-P', String(role.port)] : []),
    ...(role.user ? ['-u', role.user] : []),
  ];
}

/** One statement as a command line that exits non-zero when it fails (an action's step). */
export function mysqlExec(role: MysqlRole, sql: string): string {
  return `${quote([...mysqlArgs(role), '-e', sql])} </dev/null`;
}

export function mysqlProbeCommand(role: MysqlRole): string {
  const m = quote(mysqlArgs(role));
  return [
    `printf '${MARK}variables\\n'`,
    `{ bt_e=$( { ${m} -e ${quote([VARIABLES_SQL])} </dev/null; } 2>&1 1>&3 3>&-); bt_rc=$?; } 3>&1`,
    `printf '\\n${MARK}stderr\\n%s\\n${MARK}exit %s\\n' "$bt_e" "$bt_rc"`,
    // The first spelling the server knows wins; its stderr is kept only when none does.
    'bt_done=',
    `for bt_s in ${REPLICA_STATUS_SQL.map((s) => quote([s])).join(' ')}; do`,
    `  if bt_o=$(${m} -e "$bt_s" 2>/dev/null </dev/null); then printf '${MARK}replicas\\n${MARK}statement %s\\n%s\\n${MARK}stderr\\n\\n${MARK}exit 0\\n' "$bt_s" "$bt_o"; bt_done=1; break; fi`,
    'done',
    `[ -n "$bt_done" ] || { bt_e=$(${m} -e 'SHOW SLAVE STATUS' 2>&1 >/dev/null </dev/null); printf '${MARK}replicas\\n${MARK}stderr\\n%s\\n${MARK}exit 1\\n' "$bt_e"; }`,
  ].join('\n');
}
