// A MySQL/MariaDB replication set as the probe sees it, read fresh for
// planning and again to verify, as postgresql-observe.ts does for PostgreSQL.
import type { MysqlRole } from '../../inventory/types.js';
import type { MysqlServiceSnapshot } from '../../monitor/mysql-plan.js';
import { isServiceRead, readServices } from '../engine/read-service.js';
import type { LiveContext } from '../engine/registry.js';

export interface MyMember {
  host: string;
  set: string;
  role: MysqlRole;
  snapshot: MysqlServiceSnapshot | null;
  error?: string;
}

export interface MyFacts {
  members: MyMember[];
}

export async function observeMysql(ctx: LiveContext): Promise<MyFacts> {
  const reads = await readServices(ctx, 'mysql');
  return {
    members: reads.map((r): MyMember => {
      const [set = '', host = ''] = r.key.split('/');
      const role = ctx.inventory.hosts.find((h) => h.id === host)?.roles.mysql ?? {};
      return isServiceRead(r) ? { host, set, role, snapshot: r.snapshot as MysqlServiceSnapshot } : { host, set, role, snapshot: null, error: r.error };
    }),
  };
}

/** Takes writes: no channel feeds it and read_only is OFF. */
export const isWritableSource = (m: MyMember): boolean => m.snapshot !== null && m.snapshot.channels.length === 0 && !m.snapshot.readOnly;

export function describeMysql(m: MyMember): string {
  const s = m.snapshot;
  if (!s) return `${m.host} does not answer (${m.error ?? 'no reading'})`;
  if (s.channels.length === 0) return `${m.host} is a source (no replication configured, read_only ${s.readOnly ? 'ON' : 'OFF'})`;
  const c = s.channels[0]!;
  const behind = c.secondsBehind === null ? 'lag unknown' : `${c.secondsBehind} s behind`;
  return `${m.host} is a replica of ${c.sourceHost ?? '?'} (IO ${c.ioRunning}, SQL ${c.sqlRunning}, ${behind}${c.lastIoErrno ? `, IO error ${c.lastIoErrno}` : ''}${c.lastSqlErrno ? `, SQL error ${c.lastSqlErrno}` : ''})`;
}
