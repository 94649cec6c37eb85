// The etcd probe's remote command. etcdctl learns that a member is dead only
// when its call times out (gRPC keeps redialling a refused port), and while
// the leader is gone every linearizable call (health, alarm list) waits for
// the election. So the command asks in three steps, each quick:
//   1. the asked endpoint: a refused connection ends the probe at once, so
//      the poller asks the next host instead of waiting out a timeout;
//      then `member list` there gives every member's client URL;
//   2. a connection to each member's URL (curl, in parallel): a refused one
//      is down now, and is left out of the etcdctl calls;
//   3. endpoint status and health of the members left, alarm list, and the
//      operator locks (baton/locks/), in parallel. While a member is known
//      down, health and alarm list get a shorter deadline, so an election
//      does not hold back that news. The locks are a serializable read of
//      the asked member: it answers from memory even without a leader (when
//      no lease can expire either), so it never waits for an election.
// Each section is framed with its stderr and exit code (probe-output.ts).
import { quote } from 'shell-quote';
import type { EtcdRole } from '../inventory/types.js';
import { LOCK_PREFIX } from './lock-records.js';
import { MARK } from './probe-output.js';

const DEFAULT_ENDPOINT = 'http://127.0.0.1:2379';

/** A live member answers status from memory in milliseconds; a dead one is known only when this expires. */
const ETCDCTL_TIMEOUT_MS = 300;
/** How long a connection check may take: a refused connection answers within a round trip. */
const CONNECT_WAIT_MS = 100;
/** Health and alarm list deadline while a member refuses connections (an election may be under way). */
const SHORT_TIMEOUT_MS = 100;
/** Lock records read per poll: enough for any action's targets, bounded for a runaway writer. */
export const LOCKS_LIMIT = 500;

/** The sections the command prints, in order. */
export const ETCD_SECTIONS = ['members', 'connect', 'status', 'health', 'alarms', 'locks'] as const;
export type EtcdSectionName = (typeof ETCD_SECTIONS)[number];

/** Exit code of `curl` when it could not connect (refused, no route): the member is down. */
export const CURL_COULD_NOT_CONNECT = 7;
/**
 * curl's exit codes for a TLS failure on an https URL: handshake (35), peer
 * certificate (51, 60, 83, 90, 91), connection dropped by the server during
 * TLS, as when it refuses the client certificate (55, 56), local
 * certificate, key or CA file (58, 77), cipher (59).
 */
export const TLS_FAILURES: ReadonlySet<number> = new Set([35, 51, 55, 56, 58, 59, 60, 77, 83, 90, 91]);

export const ETCD_COMMANDS: Record<Exclude<EtcdSectionName, 'connect'>, string> = {
  members: 'member list -w json',
  status: 'endpoint status -w json',
  health: 'endpoint health -w json',
  alarms: 'alarm list',
  locks: `get --prefix ${LOCK_PREFIX} --consistency=s --limit=${LOCKS_LIMIT} -w json`,
};

// Runs a command with its output in "$bt_d/<section>.*", for `bt_show`.
const RUN_INTO = [
  'bt_run() {',
  '  bt_s=$1; shift',
  '  "$@" >"$bt_d/$bt_s.out" 2>"$bt_d/$bt_s.err"; echo $? >"$bt_d/$bt_s.rc"',
  '}',
  'bt_show() {',
  '  [ -e "$bt_d/$1.rc" ] || return 0',
  `  printf '%s\\n' "${MARK}$1"`,
  '  cat "$bt_d/$1.out" 2>/dev/null',
  `  printf '\\n${MARK}stderr\\n%s\\n${MARK}exit %s\\n' "$(cat "$bt_d/$1.err" 2>/dev/null)" "$(cat "$bt_d/$1.rc" 2>/dev/null)"`,
  '}',
];

/** The TLS flags for the role's files, shell-quoted: etcdctl and curl name them alike. */
function tlsFlags(role: EtcdRole): string {
  const flags = (['cacert', 'cert', 'key'] as const).flatMap((name) => (role[name] === undefined ? [] : [`--${name}`, role[name]]));
  return flags.length ? ` ${quote(flags)}` : '';
}

// `<curl exit code> <url>` and, when curl failed, `  <its message>`; or
// `none <url>` without curl (then only etcdctl's timeout tells). A refusal
// comes back within a round trip; anything slower is left to etcdctl, so this
// step never waits long. With the same TLS files as etcdctl, curl also says
// why a handshake fails, which etcdctl 3.4 does not (it only times out).
const connect = (tls: string) => [
  'bt_connect() {',
  '  if command -v curl >/dev/null 2>&1; then',
  `    bt_why=$(curl -sS -o /dev/null --noproxy '*' --max-time ${CONNECT_WAIT_MS / 1000}${tls} "$1/version" 2>&1)`,
  '    bt_rc=$?; echo "$bt_rc $1"',
  `    [ -z "$bt_why" ] || printf '  %s\\n' "$bt_why" | head -n 1`,
  '  else echo "none $1"; fi',
  '}',
];

/** The remote command for one etcd host; the endpoint is shell-quoted. */
export function etcdProbeCommand(role: EtcdRole): string {
  const full = `${ETCDCTL_TIMEOUT_MS}ms`;
  const tls = tlsFlags(role);
  const etcdctl = (timeout: string) => `env ETCDCTL_API=3 etcdctl --dial-timeout=${ETCDCTL_TIMEOUT_MS}ms --command-timeout=${timeout}${tls}`;
  return [
    `bt_ep=${quote([role.endpoint ?? DEFAULT_ENDPOINT])}`,
    `printf '%s\\n' "${MARK}endpoint $bt_ep"`,
    'bt_d=$(mktemp -d) || exit 1',
    ...RUN_INTO,
    ...connect(tls),
    // 1. The asked endpoint, then the member list it serves.
    'bt_connect "$bt_ep" >"$bt_d/connect.out"',
    `if [ "$(head -n 1 "$bt_d/connect.out" | cut -d' ' -f1)" = ${CURL_COULD_NOT_CONNECT} ]; then`,
    '  echo 0 >"$bt_d/connect.rc"; bt_show connect; rm -rf "$bt_d"; exit 0',
    'fi',
    `bt_run members ${etcdctl(full)} --endpoints "$bt_ep" ${ETCD_COMMANDS.members}`,
    // The first client URL of each started member (one not yet started has none).
    `grep -o '"clientURLs":\\["[^"]*"' "$bt_d/members.out" | sed 's/^"clientURLs":\\["//; s/"$//' >"$bt_d/urls"`,
    '[ -s "$bt_d/urls" ] || printf \'%s\\n\' "$bt_ep" >"$bt_d/urls"',
    // 2. A connection to each member, in parallel.
    'bt_n=0',
    'while IFS= read -r bt_u; do bt_n=$((bt_n + 1)); bt_connect "$bt_u" >"$bt_d/connect.$bt_n" & done <"$bt_d/urls"',
    'wait',
    'bt_i=0; while [ $bt_i -lt $bt_n ]; do bt_i=$((bt_i + 1)); cat "$bt_d/connect.$bt_i"; done >"$bt_d/connect.out"',
    'echo 0 >"$bt_d/connect.rc"',
    `bt_live=$(awk '/^  / { next } { code = $1; sub(/^[^ ]+ /, "") } code != ${CURL_COULD_NOT_CONNECT} { printf "%s%s", sep, $0; sep = "," }' "$bt_d/connect.out")`,
    `if grep -q '^${CURL_COULD_NOT_CONNECT} ' "$bt_d/connect.out"; then bt_wait=${SHORT_TIMEOUT_MS}ms; else bt_wait=${full}; fi`,
    `printf '%s\\n' "${MARK}deadlines status ${full} health $bt_wait"`,
    // 3. The members left, and the alarms.
    'if [ -n "$bt_live" ]; then',
    `  bt_run status ${etcdctl(full)} --endpoints "$bt_live" ${ETCD_COMMANDS.status} &`,
    `  bt_run health ${etcdctl('"$bt_wait"')} --endpoints "$bt_live" ${ETCD_COMMANDS.health} &`,
    'fi',
    `bt_run alarms ${etcdctl('"$bt_wait"')} --endpoints "$bt_ep" ${ETCD_COMMANDS.alarms} &`,
    `bt_run locks ${etcdctl(full)} --endpoints "$bt_ep" ${ETCD_COMMANDS.locks} &`,
    'wait',
    `for bt_s in ${ETCD_SECTIONS.join(' ')}; do bt_show "$bt_s"; done`,
    'rm -rf "$bt_d"',
  ].join('\n');
}
