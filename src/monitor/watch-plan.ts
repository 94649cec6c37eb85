// What to probe for the inventory's `checks:` and `devices:`: for each item
// the command, where it runs and in which lane, and how its output becomes a
// store update plus events on a change of state (the item's up/down history
// lives here, one tracker per item).
import type { HealthCheck, Inventory, NetworkDevice, ProbeSource } from '../inventory/types.js';
import { AvailabilityTracker } from '../probes/availability.js';
import { deviceProbeCommand, parseDeviceProbe, DEVICE_WAIT_SECONDS } from '../probes/device-probe.js';
import { CHECK_MAX_SECONDS, httpCheckCommand, parseHttpCheck } from '../probes/http-check.js';
import { formatSince } from '../probes/watch-words.js';
import type { BatonEvent } from '../store/types.js';
import type { WatchKind, WatchUpdate } from '../store/watches.js';

/** The transport id of baton's own machine, for `from: local` (not a valid inventory host name). */
export const LOCAL_MACHINE = '(local)';
/** Slack over the tool's own limit before the transport gives up on a probe. */
const TIMEOUT_SLACK_MS = 3000;

export interface WatchProbe {
  kind: WatchKind;
  name: string;
  /** Transport id: a host's, or LOCAL_MACHINE. */
  sourceId: string;
  /** As the store and JSON show it: the host, or `local`. */
  from: string;
  lane: string;
  command: string;
  timeoutMs: number;
  observe(output: string, at: number): { update: WatchUpdate; events: Omit<BatonEvent, 'id'>[] };
}

const sourceId = (from: ProbeSource): string => (from.kind === 'host' ? from.host : LOCAL_MACHINE);
const fromText = (from: ProbeSource): string => (from.kind === 'host' ? from.host : 'local');
/**
 * Over SSH each lane is a shell on the host's connection (sshd allows ten
 * per connection), so a host's checks share one lane and its devices
 * another; locally a lane costs nothing and each item gets its own.
 */
const laneOf = (kind: WatchKind, name: string, from: ProbeSource): string => (from.kind === 'host' ? `${kind}s` : `${kind}:${name}`);

interface Verdict {
  up: boolean;
  latencyMs: number | null;
  reason: string | null;
  result: unknown;
}

function probe(kind: WatchKind, name: string, from: ProbeSource, command: string, timeoutMs: number, judge: (output: string) => Verdict | { message: string; raw: string }, words: { down: string; up: string }): WatchProbe {
  const tracker = new AvailabilityTracker();
  const where = from.kind === 'host' ? ` from ${from.host}` : '';
  return {
    kind,
    name,
    sourceId: sourceId(from),
    from: fromText(from),
    lane: laneOf(kind, name, from),
    command,
    timeoutMs,
    observe(output, at) {
      const v = judge(output);
      if (!('up' in v)) return { update: { kind, name, type: 'error', at, message: v.message, raw: v.raw }, events: [] };
      const before = tracker.summary();
      const was = tracker.record(at, v.up, v.latencyMs, v.reason);
      const summary = tracker.summary()!;
      const events: Omit<BatonEvent, 'id'>[] = [];
      // A first probe that passes is no news; one that fails is.
      if (!v.up && was !== false) events.push({ at, source: kind, severity: 'crit', message: `${kind} ${name} ${words.down}${where}: ${v.reason ?? 'failed'}` });
      if (v.up && was === false && before) events.push({ at, source: kind, severity: 'info', message: `${kind} ${name} ${words.up}${where} (down ${formatSince(before.since, at)})` });
      return { update: { kind, name, type: 'result', at, result: v.result, summary }, events };
    },
  };
}

function checkProbe(check: HealthCheck): WatchProbe {
  return probe(
    'check',
    check.name,
    check.from,
    httpCheckCommand(check),
    CHECK_MAX_SECONDS * 1000 + TIMEOUT_SLACK_MS,
    (output) => {
      const r = parseHttpCheck(output, check);
      return r.kind === 'result' ? { up: r.result.ok, latencyMs: r.result.latencyMs, reason: r.result.reason, result: r.result } : r;
    },
    { down: 'failing', up: 'passes again' },
  );
}

function deviceProbe(device: NetworkDevice): WatchProbe {
  return probe(
    'device',
    device.name,
    device.from,
    deviceProbeCommand(device),
    DEVICE_WAIT_SECONDS * 1000 + TIMEOUT_SLACK_MS,
    (output) => {
      const r = parseDeviceProbe(output);
      return r.kind === 'result' ? { up: r.result.reachable, latencyMs: r.result.rttMs, reason: r.result.reason, result: { ...r.result, type: device.type, address: device.address, probe: device.probe.kind === 'icmp' ? 'icmp' : `tcp:${device.probe.port}` } } : r;
    },
    { down: 'unreachable', up: 'reachable again' },
  );
}

export function planWatches(inventory: Inventory): WatchProbe[] {
  return [...(inventory.checks ?? []).map(checkProbe), ...(inventory.devices ?? []).map(deviceProbe)];
}
