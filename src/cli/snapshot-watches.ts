// The `checks` and `devices` sections of `--once --json`: one flat object per
// inventory item, its latest probe and its availability since baton started.
import type { DeviceProbeResult } from '../probes/device-probe.js';
import type { HttpCheckResult } from '../probes/http-check.js';
import type { ReadyzCheck } from '../probes/http-check-readyz.js';
import type { BatonState } from '../store/types.js';
import { watchId, type WatchState } from '../store/watches.js';

export interface SnapshotCheck {
  name: string;
  url: string;
  from: string;
  /** `ok`, `failing`, or `unknown` when it could not be probed (see `error`). */
  state: 'ok' | 'failing' | 'unknown';
  httpStatus: number | null;
  latencyMs: number | null;
  reason: string | null;
  readyz: ReadyzCheck[];
  availabilityPct: number | null;
  since: string | null;
  lastFailure: { at: string; reason: string } | null;
  updatedAt: string | null;
  error: string | null;
}

export interface SnapshotDevice {
  name: string;
  type: string;
  address: string;
  probe: string;
  from: string;
  reachable: boolean | null;
  rttMs: number | null;
  lossPct: number | null;
  availabilityPct: number | null;
  availabilityHourPct: number | null;
  lastChange: string | null;
  lastFailure: { at: string; reason: string } | null;
  updatedAt: string | null;
  error: string | null;
}

const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());

function common(w: WatchState | undefined) {
  const s = w?.summary;
  return {
    from: w?.from ?? 'local',
    availabilityPct: s?.availabilityPct ?? null,
    lastFailure: s?.lastFailure ? { at: new Date(s.lastFailure.at).toISOString(), reason: s.lastFailure.reason } : null,
    updatedAt: iso(w?.updatedAt),
    error: w?.error?.message ?? null,
  };
}

export function checksOf(state: BatonState): SnapshotCheck[] {
  return (state.inventory.checks ?? []).map((c) => {
    const w = state.watches[watchId('check', c.name)];
    const r = w?.error ? undefined : (w?.result as HttpCheckResult | undefined);
    return {
      name: c.name,
      url: c.url,
      ...common(w),
      state: r === undefined ? 'unknown' : r.ok ? 'ok' : 'failing',
      httpStatus: r?.status ?? null,
      latencyMs: r?.latencyMs ?? null,
      reason: r?.reason ?? null,
      readyz: r?.readyz ?? [],
      since: iso(w?.summary?.since),
    };
  });
}

export function devicesOf(state: BatonState): SnapshotDevice[] {
  return (state.inventory.devices ?? []).map((d) => {
    const w = state.watches[watchId('device', d.name)];
    const r = w?.error ? undefined : (w?.result as DeviceProbeResult | undefined);
    return {
      name: d.name,
      type: d.type,
      address: d.address,
      probe: d.probe.kind === 'icmp' ? 'icmp' : `tcp:${d.probe.port}`,
      ...common(w),
      reachable: r?.reachable ?? null,
      rttMs: r?.rttMs ?? null,
      lossPct: w?.summary?.lossPct ?? null,
      availabilityHourPct: w?.summary?.availabilityHourPct ?? null,
      lastChange: iso(w?.summary?.since),
    };
  });
}
