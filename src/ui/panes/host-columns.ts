// Column definitions of the hosts table: what each cell shows, its colour
// from the thresholds, and how it sorts. Views pick and order them by id.
import { tagsText } from '../../store/host-filter.js';
import type { LockHolders } from '../../store/lock-holders.js';
import type { HostState } from '../../store/types.js';
import { formatAge, formatBytes, formatDuration, formatLoad, formatPercent, MISSING } from '../format.js';
import { BADGE_LABEL, BADGE_RANK, BADGE_TOKEN, hostBadge, type Badge } from '../host-badge.js';
import { levelOf, type Level, type Thresholds } from '../thresholds.js';
import type { ColumnDef } from '../widgets/table.js';
import type { HostColumnId } from '../views/pane-kinds.js';
import type { Token } from '../theme/theme.js';

export interface HostRowContext {
  now: number;
  intervalMs: number;
  thresholds: Thresholds;
  /** The operator locks held now: a host whose `host:<id>` is held gets LOCK_MARK after its state. */
  locks?: LockHolders;
  /** Alertmanager/Prometheus alerts firing per host: the host cell gets ▲N. */
  alerting?: ReadonlyMap<string, number>;
}

/** After the state badge of a host an action holds locked (the detail says who holds it). */
export const LOCK_MARK = 'L';

/** The state column makes room for LOCK_MARK only while some host is locked: otherwise it costs the table nothing. */
export const anyHostLocked = (locks: LockHolders): boolean => [...locks.keys()].some((key) => key.startsWith('host:'));

export type HostColumn = ColumnDef<HostState, HostRowContext>;

/** Metrics of a host that is not up, or stale, are last-known values: muted. */
/** Data younger than this many poll intervals shows its age as "now". */
const FRESH_INTERVALS = 2;

function fresh(host: HostState, ctx: HostRowContext): boolean {
  const badge = hostBadge(host, ctx.now, ctx.intervalMs);
  return badge === 'up';
}

function metricColumn(
  id: HostColumnId,
  title: string,
  width: number,
  value: (h: HostState) => number | null | undefined,
  format: (v: number | null | undefined) => string,
  level?: (t: Thresholds) => Level,
  scale: (h: HostState, v: number) => number = (_h, v) => v,
): HostColumn {
  return {
    id,
    title,
    width,
    align: 'right',
    descByDefault: true,
    cell: (h, ctx) => {
      const v = value(h);
      if (v === null || v === undefined) return { text: MISSING, token: 'muted' };
      const token: Token = !fresh(h, ctx) ? 'muted' : level ? levelOf(scale(h, v), level(ctx.thresholds)) : 'text';
      return { text: format(v), token };
    },
    sort: (h) => value(h) ?? null,
  };
}

/** Disk figures that are not fresh say why instead: t/o (df timed out, retried with backoff) or err (its output did not parse). */
function diskColumn(): HostColumn {
  const figures = metricColumn('disk', 'DISK', 4, (h) => h.metrics?.diskUsedPercentMax, formatPercent, (t) => t.disk);
  return {
    ...figures,
    cell: (h, ctx) => {
      const problem = h.metrics?.disksProblem;
      return problem ? { text: problem.kind === 'timed-out' ? 't/o' : 'err', token: 'warn' } : figures.cell(h, ctx);
    },
  };
}

export function hostColumns(hostWidth: number, lockMarks = false): Record<HostColumnId, HostColumn> {
  return {
    state: {
      id: 'state',
      title: 'STATE',
      // The longest badge, then a space and the lock mark when shown.
      width: lockMarks ? 13 : 11,
      descByDefault: true,
      cell: (h, ctx) => {
        const badge: Badge = hostBadge(h, ctx.now, ctx.intervalMs);
        const locked = ctx.locks?.has(`host:${h.spec.id}`) === true;
        return { text: locked ? `${BADGE_LABEL[badge]} ${LOCK_MARK}` : BADGE_LABEL[badge], token: BADGE_TOKEN[badge] };
      },
      sort: (h, ctx) => BADGE_RANK[hostBadge(h, ctx.now, ctx.intervalMs)],
    },
    host: {
      id: 'host',
      title: 'HOST',
      width: hostWidth,
      cell: (h, ctx) => {
        const firing = ctx.alerting?.get(h.spec.id);
        return firing ? { text: `${h.spec.id} ▲${firing}`, token: 'crit' } : { text: h.spec.id };
      },
      sort: (h) => h.spec.id,
    },
    address: {
      id: 'address',
      title: 'ADDRESS',
      width: 15,
      maxWidth: 30,
      cell: (h) => ({ text: h.spec.transport === 'local' ? 'local' : `${h.spec.address}:${h.spec.port}`, token: 'muted' }),
      sort: (h) => h.spec.address,
    },
    load: metricColumn('load', 'LOAD', 6, (h) => h.metrics?.load1, formatLoad, (t) => t.loadPerCore, (h, v) => v / Math.max(1, h.metrics?.cores ?? 1)),
    cores: metricColumn('cores', 'CPUS', 4, (h) => h.metrics?.cores, (v) => (v === null || v === undefined ? MISSING : String(v))),
    cpu: metricColumn('cpu', 'CPU', 4, (h) => h.metrics?.cpuPercent, formatPercent, (t) => t.cpu),
    mem: metricColumn('mem', 'MEM', 4, (h) => h.metrics?.memUsedPercent, formatPercent, (t) => t.mem),
    swap: metricColumn('swap', 'SWAP', 4, (h) => h.metrics?.swapUsedPercent, formatPercent, (t) => t.swap),
    disk: diskColumn(),
    rx: metricColumn('rx', 'RX/s', 5, (h) => h.metrics?.rxBytesPerSec, formatBytes),
    tx: metricColumn('tx', 'TX/s', 5, (h) => h.metrics?.txBytesPerSec, formatBytes),
    uptime: metricColumn('uptime', 'UP', 6, (h) => h.metrics?.uptimeSeconds, formatDuration),
    age: {
      id: 'age',
      title: 'AGE',
      width: 5,
      align: 'right',
      descByDefault: true,
      cell: (h, ctx) => {
        if (h.updatedAt === undefined) return { text: MISSING, token: 'muted' };
        const age = ctx.now - h.updatedAt;
        // Within two polls the age says nothing new and would redraw every
        // row every second over SSH: show it only once it is worth a look.
        if (age < FRESH_INTERVALS * ctx.intervalMs) return { text: 'now', token: 'muted' };
        return { text: formatAge(age), token: fresh(h, ctx) ? 'text' : 'warn' };
      },
      sort: (h, ctx) => (h.updatedAt === undefined ? null : ctx.now - h.updatedAt),
    },
    os: { id: 'os', title: 'OS', width: 12, maxWidth: 24, cell: (h) => ({ text: h.unsupported ?? h.metrics?.os ?? MISSING, token: 'muted' }), sort: (h) => h.metrics?.os ?? null },
    kernel: { id: 'kernel', title: 'KERNEL', width: 10, maxWidth: 20, cell: (h) => ({ text: h.metrics?.kernel ?? MISSING, token: 'muted' }), sort: (h) => h.metrics?.kernel ?? null },
    groups: { id: 'groups', title: 'GROUPS', width: 10, maxWidth: 30, cell: (h) => ({ text: h.spec.groups.join(','), token: 'muted' }), sort: (h) => h.spec.groups.join(',') },
    tags: { id: 'tags', title: 'TAGS', width: 6, maxWidth: Infinity, cell: (h) => ({ text: tagsText(h), token: 'muted' }), sort: tagsText },
  };
}
