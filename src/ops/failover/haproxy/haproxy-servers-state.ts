// `show servers state`: the runtime weights (srv_uweight) and configured
// weights (srv_iweight) `show stat` does not give apart, and the admin state
// bits. Format version 1: a version line, a `# ` header naming the columns,
// then one space-separated row per server (HAProxy names hold no spaces).
// Pure; never throws.

export interface ServerRuntimeState {
  backend: string;
  server: string;
  /** The weight set at runtime (the configured one until changed). */
  userWeight: number;
  /** The configured weight, as haproxy.cfg gives it. */
  configuredWeight: number;
  /** SRV_ADMF_* bits: 0x01 forced maint, 0x08 forced drain, ... */
  adminState: number;
}

export type ServersStateResult = { servers: ServerRuntimeState[] } | { error: string };

export const ADMIN_FORCED_MAINT = 0x01;
export const ADMIN_FORCED_DRAIN = 0x08;

export function parseServersState(text: string): ServersStateResult {
  const lines = text.split('\n').map((l) => l.trim());
  const headerAt = lines.findIndex((l) => l.startsWith('# be_id '));
  if (headerAt < 0) return { error: `no 'show servers state' header; it said: ${lines.filter(Boolean).slice(0, 2).join('; ').slice(0, 200) || 'nothing'}` };
  const columns = lines[headerAt]!.slice(2).split(/\s+/);
  const col = (name: string) => columns.indexOf(name);
  const [be, srv, uw, iw, admin] = ['be_name', 'srv_name', 'srv_uweight', 'srv_iweight', 'srv_admin_state'].map(col) as [number, number, number, number, number];
  if ([be, srv, uw, iw, admin].some((i) => i < 0)) return { error: `'show servers state' header lacks a column baton reads: ${lines[headerAt]!.slice(0, 200)}` };
  const servers: ServerRuntimeState[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(/\s+/);
    const n = (i: number) => Number(f[i]);
    if (f.length <= Math.max(be, srv, uw, iw, admin) || [uw, iw, admin].some((i) => !Number.isInteger(n(i)))) return { error: `'show servers state' row does not parse: ${line.slice(0, 200)}` };
    servers.push({ backend: f[be]!, server: f[srv]!, userWeight: n(uw), configuredWeight: n(iw), adminState: n(admin) });
  }
  return { servers };
}
