// The facts block of the host detail: every metric and the connection, as
// label + coloured parts. Pure, so it is tested without rendering.
import type { HostMetrics } from '../../probes/host-metrics.js';
import type { LockHolders } from '../../store/lock-holders.js';
import type { HostState } from '../../store/types.js';
import { formatAge, formatBytes, formatClock, formatDuration, formatLoad, formatPercent, MISSING, wrapWords } from '../format.js';
import { BADGE_LABEL, BADGE_TOKEN, hostBadge } from '../host-badge.js';
import type { Token } from '../theme/theme.js';
import { levelOf, type Thresholds } from '../thresholds.js';
import { visibleText } from '../visible-text.js';
import { heldBy } from './lock-lines.js';

export interface Part {
  text: string;
  token?: Token;
}

export interface DetailLine {
  label: string;
  parts: Part[];
}

export interface DetailContext {
  now: number;
  intervalMs: number;
  thresholds: Thresholds;
  /** Columns right of the label, where a long error wraps. */
  width: number;
  /** The operator locks held now (key `host:<id>` is this host's). */
  locks?: LockHolders;
}

const sep: Part = { text: '   ' };

/** The disk figures; while the disk probe fails, why and when it is tried again first, and the last figures muted. */
function diskParts(m: HostMetrics, t: Thresholds): Part[] {
  const p = m.disksProblem;
  const figures: Part[] = m.disks.flatMap((d, i) => [
    { text: `${i > 0 ? '  ' : ''}${d.mount} `, token: p ? 'muted' : undefined },
    { text: formatPercent(d.usedPercent), token: p ? 'muted' : levelOf(d.usedPercent, t.disk) },
    { text: ` of ${formatBytes(d.sizeBytes)}`, token: 'muted' },
  ]);
  if (!p) return figures.length > 0 ? figures : [{ text: MISSING, token: 'muted' }];
  const tries = p.failures > 1 ? `, ${p.failures} tries` : '';
  return [
    { text: p.kind === 'timed-out' ? 'timed out' : 'unreadable', token: 'warn' },
    { text: ` since ${formatClock(p.since)}${tries}, next try ${formatClock(p.retryAt)}: ${p.message}`, token: 'muted' },
    ...(figures.length > 0 ? [{ text: ' · last: ', token: 'muted' as const }, ...figures] : []),
  ];
}

export function hostDetailLines(host: HostState, ctx: DetailContext): DetailLine[] {
  const { metrics: m, spec } = host;
  const t = ctx.thresholds;
  const badge = hostBadge(host, ctx.now, ctx.intervalMs);
  const lines: DetailLine[] = [
    {
      label: 'state',
      parts: [
        { text: BADGE_LABEL[badge], token: BADGE_TOKEN[badge] },
        { text: ` since ${formatClock(host.stateSince)}`, token: 'muted' },
        { text: host.updatedAt === undefined ? ' · no data yet' : ` · data ${formatAge(ctx.now - host.updatedAt)} old`, token: badge === 'stale' ? 'warn' : 'muted' },
      ],
    },
  ];
  const lock = ctx.locks && heldBy(ctx.locks, `host:${spec.id}`);
  if (lock) lines.push(...wrapWords(lock, ctx.width).map((text, i) => ({ label: i === 0 ? 'lock' : '', parts: [{ text, token: 'warn' as const }] })));
  if (host.unsupported !== undefined) lines.push({ label: 'system', parts: [{ text: `${host.unsupported}: not a Linux host, no metrics`, token: 'unknown' }] });
  if (m) {
    const perCore = m.load1 / Math.max(1, m.cores);
    lines.push(
      {
        label: 'load',
        parts: [
          { text: `${formatLoad(m.load1)} ${formatLoad(m.load5)} ${formatLoad(m.load15)}`, token: levelOf(perCore, t.loadPerCore) },
          { text: ` / ${m.cores} cores`, token: 'muted' },
          sep,
          { text: 'cpu ' },
          { text: formatPercent(m.cpuPercent), token: levelOf(m.cpuPercent, t.cpu) },
          sep,
          { text: 'mem ' },
          { text: formatPercent(m.memUsedPercent), token: levelOf(m.memUsedPercent, t.mem) },
          { text: ` of ${formatBytes(m.memTotalBytes)}`, token: 'muted' },
          sep,
          { text: 'swap ' },
          { text: formatPercent(m.swapUsedPercent), token: levelOf(m.swapUsedPercent, t.swap) },
        ],
      },
      { label: 'disks', parts: diskParts(m, t) },
      {
        label: 'network',
        parts: [
          { text: `rx ${formatBytes(m.rxBytesPerSec)}/s  tx ${formatBytes(m.txBytesPerSec)}/s` },
          sep,
          { text: `uptime ${formatDuration(m.uptimeSeconds)}` },
        ],
      },
      { label: 'system', parts: [{ text: `${m.os} · ${m.kernel}`, token: 'muted' }] },
    );
  }
  const where = spec.transport === 'local' ? 'local machine' : `${spec.user}@${spec.address}:${spec.port}`;
  const jump = spec.jump.length > 0 ? ` via ${spec.jump.map((j) => `${j.user}@${j.address}:${j.port}`).join(' → ')}` : '';
  lines.push(
    { label: 'connect', parts: [{ text: `${where}${jump}` }] },
    { label: 'keys', parts: [{ text: spec.identityFiles.length > 0 ? spec.identityFiles.join(', ') : 'ssh-agent, then OpenSSH defaults', token: 'muted' }] },
    { label: 'host key', parts: [{ text: host.hostKeyFingerprint ?? (spec.transport === 'local' ? 'n/a (local)' : 'not verified yet'), token: 'muted' }] },
  );
  if (host.lastError) lines.push(...errorLines(host.lastError, ctx.width));
  return lines;
}

/**
 * The last error in full, wrapped, its own line breaks kept: a host-key
 * message ends with the command that fixes it, which must not be cut off.
 * The hint follows a one-row message on its row, else gets rows of its own.
 */
function errorLines(e: NonNullable<HostState['lastError']>, width: number): DetailLine[] {
  const wrap = (text: string) => text.split('\n').flatMap((l) => wrapWords(l, width));
  const rows: Part[][] = wrap(`${formatClock(e.at)} ${e.message}`).map((text) => [{ text, token: 'crit' }]);
  if (e.hint) {
    const hint = ` — ${e.hint}`;
    const only = rows.length === 1 ? rows[0]! : undefined;
    if (only && only[0]!.text.length + visibleText(hint).length <= width) only.push({ text: hint });
    else rows.push(...wrap(hint.trimStart()).map((text) => [{ text }]));
  }
  return rows.map((parts, i) => ({ label: i === 0 ? 'error' : '', parts }));
}
