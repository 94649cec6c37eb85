// MySQL/MariaDB replication: the pure parser of the probe's output
// (mysql-command.ts): the server's variables and one row per replication
// channel, under MariaDB's or MySQL's column names (Master/Source,
// Slave/Replica). Never throws: a client that cannot connect and output
// that is not what --batch prints become a parse error with the raw snippet.
import { MARK, ProbeError, RAW_LIMIT, splitCommandSections } from './probe-output.js';

export interface MysqlChannel {
  /** MariaDB's Connection_name / MySQL's Channel_Name; '' for the default one. */
  name: string;
  sourceHost: string | null;
  sourcePort: number | null;
  /** Slave_IO_State / Replica_IO_State: what the IO thread does now. */
  ioState: string;
  /** Yes, No or Connecting. */
  ioRunning: string;
  sqlRunning: string;
  /** Null while a thread is stopped (the server does not know). */
  secondsBehind: number | null;
  lastIoErrno: number;
  lastIoError: string;
  lastSqlErrno: number;
  lastSqlError: string;
  /** MariaDB's Using_Gtid (No, Slave_Pos, Current_Pos); MySQL: Auto_Position 0/1. */
  usingGtid: string | null;
  /** GTIDs received (MariaDB Gtid_IO_Pos, MySQL Retrieved_Gtid_Set). */
  gtidReceived: string | null;
}

export interface MysqlSnapshot {
  takenAt: number;
  version: string;
  /** MariaDB or MySQL, from the version string. */
  flavor: 'mariadb' | 'mysql';
  serverId: number | null;
  readOnly: boolean;
  /** Null where the server has no such variable (MariaDB). */
  superReadOnly: boolean | null;
  logBin: boolean;
  /** MariaDB gtid_current_pos, MySQL gtid_executed. */
  gtidPosition: string | null;
  /** The statement that answered, e.g. SHOW ALL SLAVES STATUS. */
  statusStatement: string | null;
  /** A server with a configured channel is a replica, else a primary. */
  role: 'primary' | 'replica';
  channels: MysqlChannel[];
}

export type MysqlProbeResult = { kind: 'snapshot'; snapshot: MysqlSnapshot } | { kind: 'parse-error'; message: string; raw: string };

/** --batch escapes: \\t \\n \\\\ \\0; NULL is the word NULL. */
function unescape(field: string): string | null {
  if (field === 'NULL') return null;
  return field.replace(/\\([tn0\\])/g, (_m, c: string) => ({ t: '\t', n: '\n', '0': '\0', '\\': '\\' })[c] ?? c);
}

/** Header row, then one row per line. */
function table(text: string, raw: string): Record<string, string | null>[] {
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines.length === 0) return [];
  const header = lines[0]!.split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    if (cells.length !== header.length) throw new ProbeError(`mysql: a row has ${cells.length} fields, the header ${header.length}`, raw);
    return Object.fromEntries(header.map((h, i) => [h, unescape(cells[i]!)]));
  });
}

const pick = (row: Record<string, string | null>, ...names: string[]): string | null => {
  for (const n of names) if (row[n] !== undefined) return row[n] ?? null;
  return null;
};
const int = (v: string | null): number | null => (v !== null && /^\d{1,15}$/.test(v) ? Number(v) : null);
const on = (v: string | null | undefined): boolean => v === 'ON' || v === '1';

function channel(row: Record<string, string | null>): MysqlChannel {
  return {
    name: pick(row, 'Connection_name', 'Channel_Name', 'Channel_name') ?? '',
    sourceHost: pick(row, 'Master_Host', 'Source_Host'),
    sourcePort: int(pick(row, 'Master_Port', 'Source_Port')),
    ioState: pick(row, 'Slave_IO_State', 'Replica_IO_State') ?? '',
    ioRunning: pick(row, 'Slave_IO_Running', 'Replica_IO_Running') ?? 'unknown',
    sqlRunning: pick(row, 'Slave_SQL_Running', 'Replica_SQL_Running') ?? 'unknown',
    secondsBehind: int(pick(row, 'Seconds_Behind_Master', 'Seconds_Behind_Source')),
    lastIoErrno: int(pick(row, 'Last_IO_Errno')) ?? 0,
    lastIoError: pick(row, 'Last_IO_Error') ?? '',
    lastSqlErrno: int(pick(row, 'Last_SQL_Errno')) ?? 0,
    lastSqlError: pick(row, 'Last_SQL_Error') ?? '',
    usingGtid: pick(row, 'Using_Gtid', 'Auto_Position'),
    gtidReceived: pick(row, 'Gtid_IO_Pos', 'Retrieved_Gtid_Set'),
  };
}

function clientError(stderr: string, code: number | null): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '');
  return line?.replace(/^(mysql|mariadb):\s*(\[Warning\][^\n]*)?/, '').trim() || (code === null ? 'the client was cut off' : `the client exited ${code}`);
}

export function parseMysqlProbe(output: string, takenAt: number): MysqlProbeResult {
  const raw = output.slice(0, RAW_LIMIT);
  try {
    let statement: string | null = null;
    const sections = splitCommandSections(output, ['variables', 'replicas'], {
      onOtherMarker: (m) => {
        if (m.startsWith('statement ')) statement = m.slice('statement '.length);
      },
    });
    const vars = sections.get('variables');
    const reps = sections.get('replicas');
    if (!vars || !reps) return { kind: 'parse-error', message: `mysql: no probe output (is the shell POSIX? no ${MARK}${vars ? 'replicas' : 'variables'} section)`, raw };
    if (vars.exitCode !== 0) {
      const missing = vars.exitCode === 127 ? ' (is the mysql client installed? Debian: mariadb-client; or set roles.mysql.mysql)' : '';
      return { kind: 'parse-error', message: `mysql: ${clientError(vars.stderr, vars.exitCode)}${missing}`, raw: vars.stderr.slice(0, RAW_LIMIT) || raw };
    }
    if (reps.exitCode !== 0) return { kind: 'parse-error', message: `mysql: replica status: ${clientError(reps.stderr, reps.exitCode)}`, raw: reps.stderr.slice(0, RAW_LIMIT) || raw };
    const v = Object.fromEntries(table(vars.stdout, raw).map((r) => [r.Variable_name ?? '', r.Value ?? '']));
    if (v.version === undefined) throw new ProbeError('mysql: the variables have no version (is this a MySQL or MariaDB server?)', raw);
    const channels = table(reps.stdout, raw).map(channel);
    return {
      kind: 'snapshot',
      snapshot: {
        takenAt,
        version: v.version,
        flavor: /mariadb/i.test(v.version) ? 'mariadb' : 'mysql',
        serverId: int(v.server_id ?? null),
        readOnly: on(v.read_only),
        superReadOnly: v.super_read_only === undefined ? null : on(v.super_read_only),
        logBin: on(v.log_bin),
        gtidPosition: v.gtid_current_pos ?? v.gtid_executed ?? null,
        statusStatement: statement,
        role: channels.length > 0 ? 'replica' : 'primary',
        channels,
      },
    };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `mysql: ${(err as Error).message}`, raw };
  }
}
