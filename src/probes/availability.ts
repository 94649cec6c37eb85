// Up/down history of one check or device: availability since baton started
// and over the last hour, loss over the last N probes, latencies for a
// sparkline, the last state change and the last failure. No I/O; the
// monitor records one sample per probe.

export const HOUR_MS = 3_600_000;
/** Loss is counted over this many of the latest probes. */
export const LOSS_WINDOW = 20;
/** Latencies kept for the sparkline. */
export const LATENCY_POINTS = 60;

export interface AvailabilitySummary {
  up: boolean;
  /** When `up` last changed (or the first probe). */
  since: number;
  probes: number;
  /** Share of probes that passed, 0-100. */
  availabilityPct: number;
  availabilityHourPct: number;
  lossPct: number;
  /** Latest latencies, oldest first; null where a probe failed. */
  latencyMs: (number | null)[];
  lastFailure: { at: number; reason: string } | null;
}

interface Sample {
  at: number;
  up: boolean;
}

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100);

export class AvailabilityTracker {
  private probes = 0;
  private passed = 0;
  /** The last hour's samples, oldest first. */
  private hour: Sample[] = [];
  private latencies: (number | null)[] = [];
  private state: { up: boolean; since: number } | undefined;
  private lastFailure: AvailabilitySummary['lastFailure'] = null;

  /** Records one probe; returns the state before it (undefined for the first). */
  record(at: number, up: boolean, latencyMs: number | null, reason: string | null): boolean | undefined {
    const before = this.state?.up;
    this.probes++;
    if (up) this.passed++;
    this.hour.push({ at, up });
    while (this.hour.length > 0 && this.hour[0]!.at <= at - HOUR_MS) this.hour.shift();
    this.latencies = [...this.latencies.slice(-(LATENCY_POINTS - 1)), up ? latencyMs : null];
    if (before !== up) this.state = { up, since: at };
    if (!up) this.lastFailure = { at, reason: reason ?? 'failed' };
    return before;
  }

  summary(): AvailabilitySummary | undefined {
    if (!this.state) return undefined;
    const recent = this.hour.slice(-LOSS_WINDOW);
    return {
      up: this.state.up,
      since: this.state.since,
      probes: this.probes,
      availabilityPct: pct(this.passed, this.probes),
      availabilityHourPct: pct(this.hour.filter((s) => s.up).length, this.hour.length),
      lossPct: pct(recent.filter((s) => !s.up).length, recent.length),
      latencyMs: this.latencies,
      lastFailure: this.lastFailure,
    };
  }
}
