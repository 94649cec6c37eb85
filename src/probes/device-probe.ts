// A network device's reachability, seen from a host over its existing
// connection or from baton's machine: one `ping -c1 -W1` (the system ping:
// Node has no raw sockets), or a TCP connect with nc (bash's /dev/tcp where
// there is no nc), timed in the same shell. Pure parser, never throws.
import { quote } from 'shell-quote';
import type { NetworkDevice } from '../inventory/types.js';
import { MARK, RAW_LIMIT } from './probe-output.js';

/** One probe waits this long for an answer: a device that takes longer counts as lost. */
export const DEVICE_WAIT_SECONDS = 1;

export function deviceProbeCommand(device: NetworkDevice): string {
  const w = String(DEVICE_WAIT_SECONDS);
  if (device.probe.kind === 'icmp') {
    return [`echo '${MARK}icmp'`, `${quote(['ping', '-n', '-c', '1', '-W', w, device.address])} 2>&1; echo "${MARK}exit $?"`].join('\n');
  }
  const [addr, port] = [quote([device.address]), String(device.probe.port)];
  return [
    `echo '${MARK}tcp'`,
    'bt_a=$(date +%s%N)',
    `if command -v nc >/dev/null 2>&1; then nc -z -v -w ${w} ${addr} ${port} 2>&1`,
    `else timeout ${w} bash -c 'exec 3<>"/dev/tcp/$0/$1"' ${addr} ${port} 2>&1; fi`,
    'bt_r=$?; bt_b=$(date +%s%N)',
    `echo "${MARK}exit $bt_r"`,
    // %N is GNU date's: elsewhere the time is not a number (arithmetic on it would end the shell) and RTT stays unknown.
    `case "$bt_a$bt_b" in *[!0-9]*) echo "${MARK}elapsed-us ?" ;; *) echo "${MARK}elapsed-us $(( (bt_b - bt_a) / 1000 ))" ;; esac`,
  ].join('\n');
}

export interface DeviceProbeResult {
  reachable: boolean;
  /** Round trip (ICMP) or connect time including the tool's start (TCP), ms. */
  rttMs: number | null;
  /** Why it is unreachable; null when reachable. */
  reason: string | null;
}

export type DeviceProbeParse = { kind: 'result'; result: DeviceProbeResult } | { kind: 'parse-error'; message: string; raw: string };

const EXIT = new RegExp(`^${MARK}exit (\\d+)$`, 'm');
const ELAPSED = new RegExp(`^${MARK}elapsed-us (\\d+)$`, 'm');
const PING_TIME = /\btime[=<]([\d.]+) ?ms/;
const NOT_FOUND = /(ping|nc|timeout|bash)(: command)? not found|: (ping|nc): not found/;

function outputOf(output: string): string {
  return output
    .split('\n')
    .filter((l) => !l.startsWith(MARK) && l.trim() !== '')
    .join('\n');
}

function icmp(output: string, code: number): DeviceProbeResult {
  const time = PING_TIME.exec(output);
  if (code === 0) return { reachable: true, rttMs: time ? Number(time[1]) : null, reason: null };
  const text = outputOf(output);
  // Exit 1: no reply; 2: an error ping explains (unknown host, network unreachable).
  const said = text.split('\n').find((l) => /^ping: |unreachable|prohibited/i.test(l));
  return { reachable: false, rttMs: null, reason: said?.replace(/^ping: /, '') ?? `no reply within ${DEVICE_WAIT_SECONDS} s` };
}

function tcp(output: string, code: number): DeviceProbeResult {
  const elapsed = ELAPSED.exec(output);
  if (code === 0) return { reachable: true, rttMs: elapsed ? Number(elapsed[1]) / 1000 : null, reason: null };
  const said = outputOf(output).split('\n').at(-1) ?? '';
  // nc -v: "nc: connect to 10.0.0.1 port 443 (tcp) failed: Connection refused" / "timed out: Operation now in progress".
  const why = /\) (failed|timed out): (.*)$/.exec(said);
  // bash: "10.0.0.1: line 1: /dev/tcp/10.0.0.1/443: Connection refused"; timeout exits 124.
  const timedOut = code === 124 || why?.[1] === 'timed out';
  const reason = timedOut ? `no connection within ${DEVICE_WAIT_SECONDS} s` : (why?.[2] ?? said.split(': ').at(-1)) || 'connection failed';
  return { reachable: false, rttMs: null, reason };
}

export function parseDeviceProbe(output: string): DeviceProbeParse {
  const exit = EXIT.exec(output);
  const kind = output.startsWith(`${MARK}icmp`) ? 'icmp' : output.startsWith(`${MARK}tcp`) ? 'tcp' : undefined;
  if (!exit || !kind) return { kind: 'parse-error', message: 'device probe: no result line in the output (was it cut off?)', raw: output.slice(0, RAW_LIMIT) };
  const code = Number(exit[1]);
  if (code === 127 || NOT_FOUND.test(output)) return { kind: 'parse-error', message: `device probe: ${kind === 'icmp' ? 'no ping' : 'neither nc nor bash'} where it runs: install it there`, raw: output.slice(0, RAW_LIMIT) };
  return { kind: 'result', result: kind === 'icmp' ? icmp(output, code) : tcp(output, code) };
}
