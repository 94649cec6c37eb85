// The default mode: the full-screen console, fed by the monitor.
import { DEFAULT_SYNC_EVERY } from '../monitor/sync-poller.js';
import { loadActionRegistry } from '../ops/action-registry.js';
import { drillReportDir } from '../ops/drills/drill-reports.js';
import { drillDirs } from '../ops/drills/load-drill.js';
import { journalDir } from '../ops/engine/history.js';
import { createLockManager } from '../ops/engine/locks/create-lock-manager.js';
import { liveFromStore } from '../ops/engine/live-context.js';
import { createSyncReader } from '../ops/sync/sync-reader.js';
import { SYSTEM_LOG_COMMAND, trimSystemLog } from '../probes/system-log.js';
import { ActionService } from '../ui/actions/action-service.js';
import { PACKAGE_ROOT } from '../ui/config/paths.js';
import { DrillService } from '../ui/drills/drill-service.js';
import { recordingPath } from '../ui/recording/recordings-dir.js';
import { startRecording } from '../ui/recording/session-recorder.js';
import { runConsole } from '../ui/run-console.js';
import { labSocketFor } from './drill-run-cli.js';
import type { GlobalOptions } from './options.js';
import { openSession } from './session.js';

export interface ConsoleCommandOptions extends GlobalOptions {
  /** --record: a bare name goes to the recordings dir (recordings-dir.ts). */
  record?: string;
  /** --sync-every: hashes re-checked every N intervals. */
  syncEvery?: number;
}

export async function runConsoleCommand(options: ConsoleCommandOptions): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('baton: the console needs a terminal; for scripts use `baton --once --json`\n');
    return 1;
  }
  const session = await openSession(options);
  const { registry, errors } = loadActionRegistry(session.inventory);
  // A broken action file must not keep the console from starting: it says so in Events.
  for (const e of errors) session.store.getState().addEvent({ at: Date.now(), source: 'actions', severity: 'warn', message: `action file skipped: ${e.describe()}` });
  // Started before the monitor: the first connection events are in it.
  const recording = options.record
    ? startRecording({ castPath: recordingPath(options.record), stdout: process.stdout, store: session.store, journalDir: journalDir(), title: `baton ${session.inventory.name}` })
    : undefined;
  // Sync sets hashed on the hosts over the monitor's connections, every N intervals and on demand.
  session.monitor.watchSync(createSyncReader(liveFromStore(session.store, session.transports)), options.syncEvery ?? DEFAULT_SYNC_EVERY);
  session.monitor.start();
  // Actions run over the monitor's own connections: no second handshake.
  const actions = new ActionService({
    store: session.store,
    registry,
    transports: session.transports,
    locks: () => createLockManager(session.inventory, session.transports),
    journalDir: journalDir(),
  });
  // D: drills over the same connections; the lab (y to confirm) is the inventory a running lab wrote.
  const drills = new DrillService({
    store: session.store,
    registry,
    transports: session.transports,
    locks: () => createLockManager(session.inventory, session.transports),
    journalDir: journalDir(),
    reportDir: drillReportDir(),
    drillDirs: drillDirs(PACKAGE_ROOT),
    labSocket: () => labSocketFor(session.inventory),
  });
  try {
    await runConsole({
      store: session.store,
      intervalMs: options.interval * 1000,
      refreshNow: () => session.monitor.refreshNow(),
      fetchHostLog: async (hostId: string) => {
        const transport = session.transports.get(hostId);
        if (!transport) throw new Error(`unknown host ${hostId}`);
        const r = await transport.exec(SYSTEM_LOG_COMMAND, { timeoutMs: 10_000 });
        if (r.timedOut) throw new Error(`${hostId}: reading the system log timed out after 10 s`);
        if (r.code !== 0) throw new Error(`${hostId}: ${trimSystemLog(r.stderr) || `system log command exited ${r.code}`}`);
        return trimSystemLog(r.stdout);
      },
      themeName: options.theme,
      viewName: options.view,
      actions,
      drills,
      stdout: recording?.stdout,
    });
  } finally {
    // Quit mid-drill: the fault is not left behind; the restore runs over the still-open connections.
    if (drills.abort('the console quit')) {
      process.stderr.write('baton: quit during a drill: restoring before exit\n');
      await drills.settled();
    }
    await session.monitor.stop();
    recording?.close();
  }
  if (recording) process.stderr.write(`baton: recorded ${recording.castPath} (asciinema play it) and ${recording.eventsPath}\n`);
  return 0;
}
