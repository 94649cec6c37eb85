// The disks of one remote host, sampled on a lane of their own: df hangs on a
// dead mount while /proc still answers, so a hung df must neither hold up
// load, CPU and memory nor be started again at every poll. After a timeout
// (the transport kills df on the host) the wait before the next try doubles,
// up to a cap; the first answer brings it back to the normal interval.
import { HOST_DISK_PROBE_COMMAND, parseDiskProbe } from '../probes/host-disks.js';
import type { DiskProbeProblem, DiskUsage } from '../probes/host-metrics.js';
import type { Transport } from '../transport/types.js';

export const DISK_LANE = 'disks';

export interface DiskWatchOptions {
  /** How often disks are read while they answer. */
  everyMs: number;
  /** The longest wait between tries while df times out. */
  maxEveryMs: number;
  now: () => number;
  /**
   * The lane df runs on (default its own) and its timeout (default the
   * transport's). One-shot runs read the disks once, in their host's main
   * shell during the gap between the samples, bounded so that the second
   * sample waits no longer than it would for a lane of their own: one
   * remote shell per host instead of two.
   */
  lane?: string;
  timeoutMs?: number;
}

export class DiskWatch {
  private nextAt = -Infinity;
  private running: Promise<void> | undefined;
  private timeoutsInARow = 0;
  /** Figures read since the last sample took them. */
  private fresh: DiskUsage[] | undefined;
  private problem: DiskProbeProblem | undefined;

  constructor(private readonly options: DiskWatchOptions) {}

  /** Starts a disk probe when one is due and none is running; returns the one running. */
  poll(transport: Transport): Promise<void> | undefined {
    if (!this.running && this.options.now() >= this.nextAt) {
      this.running = this.probe(transport).finally(() => (this.running = undefined));
    }
    return this.running;
  }

  /** Resolves when no disk probe is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** What the next sample carries: new figures once (else the last ones stand), and the problem while it lasts. */
  take(): { disks: DiskUsage[] | undefined; disksProblem?: DiskProbeProblem } {
    const disks = this.fresh;
    this.fresh = undefined;
    return this.problem ? { disks, disksProblem: this.problem } : { disks };
  }

  private async probe(transport: Transport): Promise<void> {
    const { everyMs, maxEveryMs, now } = this.options;
    const started = now();
    // A link failure is the host's state, reported by the light probe; try again next time.
    this.nextAt = started + everyMs;
    const { lane = DISK_LANE, timeoutMs } = this.options;
    const result = await transport.run(HOST_DISK_PROBE_COMMAND, { lane, timeoutMs }).catch(() => undefined);
    if (!result) return;
    const failures = (this.problem?.failures ?? 0) + 1;
    const since = this.problem?.since ?? started;
    if (result.timedOut) {
      // After n timeouts in a row: 2^n times the interval, counted from the kill.
      this.timeoutsInARow++;
      this.nextAt = now() + Math.min(everyMs * 2 ** this.timeoutsInARow, maxEveryMs);
      const seconds = Math.round(result.durationMs / 100) / 10;
      this.problem = { kind: 'timed-out', message: `df did not answer (killed on the host after ${seconds} s)`, since, failures, retryAt: this.nextAt };
      return;
    }
    this.timeoutsInARow = 0;
    const parsed = parseDiskProbe(result.stdout);
    if (parsed.kind === 'disks') {
      this.fresh = parsed.disks;
      this.problem = undefined;
    } else {
      this.problem = { kind: 'failed', message: parsed.message, raw: parsed.raw, since, failures, retryAt: this.nextAt };
    }
  }
}
