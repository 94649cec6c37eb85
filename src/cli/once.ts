// `baton --once [--json]`: one snapshot of the fleet, then exit.
import { hostList } from '../store/selectors.js';
import { stripSegments, stripText } from '../ui/status-strip/strip-segments.js';
import { formatBytesPerSec, formatDuration, formatPercent } from './format.js';
import type { GlobalOptions } from './options.js';
import { openSession } from './session.js';
import { buildSnapshot, snapshotExitCode } from './snapshot-json.js';
import { textTable } from './text-table.js';

/** Default gap, in seconds, between the two samples that rates and CPU % are computed from (--sample-gap). */
export const ONCE_SAMPLE_GAP_SECONDS = 1;

export interface OnceOptions extends GlobalOptions {
  /** Seconds; each host waits this long after its own first sample. */
  sampleGap?: number;
}

export async function runOnce(options: OnceOptions): Promise<number> {
  const session = await openSession(options);
  try {
    await session.monitor.snapshot((options.sampleGap ?? ONCE_SAMPLE_GAP_SECONDS) * 1000);
  } finally {
    await session.monitor.stop();
  }
  const state = session.store.getState();
  const snapshot = buildSnapshot(state, Date.now());
  if (options.json) {
    process.stdout.write(JSON.stringify(snapshot, null, 2) + '\n');
  } else {
    const rows = hostList(state).map((h) => {
      const m = h.metrics;
      return [
        h.spec.id,
        h.conn,
        m ? m.load1.toFixed(2) : '-',
        formatPercent(m?.cpuPercent),
        formatPercent(m?.memUsedPercent),
        formatPercent(m?.diskUsedPercentMax),
        m ? `${formatBytesPerSec(m.rxBytesPerSec)}/${formatBytesPerSec(m.txBytesPerSec)}` : '-',
        m ? formatDuration(m.uptimeSeconds) : '-',
        h.conn === 'up' ? (h.unsupported ? `unsupported: ${h.unsupported}` : '') : (h.lastError?.message.split('\n')[0] ?? ''),
      ];
    });
    process.stdout.write(textTable(['HOST', 'STATE', 'LOAD1', 'CPU', 'MEM', 'DISK', 'RX/TX', 'UPTIME', 'NOTE'], rows));
    // Last, for a cron mail or a login banner: the console's strip (`PCMK ok · HAP lb1 2 alerts`).
    const strip = stripText(stripSegments(state.services, Date.now(), options.interval * 1000));
    if (strip) process.stdout.write(`${strip}\n`);
  }
  return snapshotExitCode(snapshot);
}
