// The shell commands of the built-in stages. Every value is shell-quoted;
// HAProxy queries go through the HAProxy actions' own admin-socket helpers.
import { quote } from 'shell-quote';
import type { HaproxyRole, RedisRole } from '../../inventory/types.js';
import { adminApplyCommand, adminQueryCommand } from '../failover/haproxy/haproxy-admin-socket.js';
import type { AnalysisSpec, HealthSpec } from './deploy-spec.js';

const q = (s: string): string => quote([s]);
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Exit codes the built-ins use besides 1, so a failure says what it was. */
export const EXIT_NO_RELEASE = 10;
export const EXIT_SESSIONS_LEFT = 11;
export const EXIT_NOT_UP = 12;

export interface Layout {
  /** deploy_to on the host. */
  root: string;
  releasesDir: string;
}

export const releasePath = (l: Layout, version: string): string => `${l.root}/${l.releasesDir}/${version}`;

/** What `current` points at now, as a version name ('' when there is none). */
export function currentReleaseCommand(l: Layout): string {
  return `t=$(readlink ${q(`${l.root}/current`)} 2>/dev/null) && basename "$t"; exit 0`;
}

/** The commit point: a temp link renamed over `current` (rename(2) is atomic), relative so it holds in any mount of the root. */
export function linkCommand(l: Layout, version: string, runId: string): string {
  const rel = `${l.releasesDir}/${version}`;
  const tmp = `.current.baton-${runId}`;
  return [
    `cd ${q(l.root)} || exit 1`,
    `[ -d ${q(rel)} ] || { echo ${q(`release ${version} is missing: ${l.root}/${rel}`)} >&2; exit ${EXIT_NO_RELEASE}; }`,
    `ln -sfn ${q(rel)} ${q(tmp)} && mv -T ${q(tmp)} current && readlink current`,
  ].join('\n');
}

/** Keeps the newest `keep` releases (by time), never the one `current` names or `previous`. */
export function pruneCommand(l: Layout, keep: number, previous: string | null): string {
  return [
    `cd ${q(`${l.root}/${l.releasesDir}`)} || exit 0`,
    `cur=$(basename "$(readlink ../current)"); prev=${q(previous ?? '')}`,
    `ls -1t | tail -n +${keep + 1} | while IFS= read -r d; do`,
    '  if [ "$d" != "$cur" ] && [ "$d" != "$prev" ]; then rm -rf -- "$d" && echo "removed $d"; fi',
    'done',
  ].join('\n');
}

/** mkdir of the release's directories before the SFTP uploads. */
export function mkdirCommand(dirs: readonly string[]): string {
  return quote(['mkdir', '-p', '--', ...dirs]);
}

/** `set server B/S state S` on one LB, answered by HAProxy itself. */
export function lbStateCommand(role: HaproxyRole, backend: string, server: string, state: 'drain' | 'ready'): string {
  return adminApplyCommand(role, `set server ${backend}/${server} state ${state}`);
}

/** Field N (1-based) of `show stat` for B/S, read every 0.2 s until `test` holds or the deadline passes. */
function pollStat(role: HaproxyRole, backend: string, server: string, field: number, test: string, deadlineMs: number, failure: string, code: number): string {
  return [
    `bt_end=$(( $(date +%s) + ${seconds(deadlineMs)} ))`,
    'while :; do',
    `  v=$( { ${adminQueryCommand(role, 'show stat')}\n} 2>/dev/null | awk -F, -v b=${q(backend)} -v s=${q(server)} '$1==b && $2==s {print $${field}; exit}')`,
    `  if ${test}; then echo "${backend}/${server}: $v"; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$bt_end" ]; then echo "${failure}: $v" >&2; exit ${code}; fi`,
    '  sleep 0.2',
    'done',
  ].join('\n');
}

/** Drain, then wait for the server's current sessions (field 5, scur) to reach 0. */
export function drainCommand(role: HaproxyRole, backend: string, server: string, deadlineMs: number): string {
  const wait = pollStat(role, backend, server, 5, '[ "$v" = 0 ]', deadlineMs, `${backend}/${server}: sessions left after ${seconds(deadlineMs)} s`, EXIT_SESSIONS_LEFT);
  return `${lbStateCommand(role, backend, server, 'drain')} || exit $?\n${wait}`;
}

/** Ready, then wait until the LB's own check says UP (field 18), so the next batch never drains the last server standing. */
export function readyCommand(role: HaproxyRole, backend: string, server: string, deadlineMs: number): string {
  return `${lbStateCommand(role, backend, server, 'ready')} || exit $?\n${waitUpCommand(role, backend, server, deadlineMs)}`;
}

/** Until the LB's own check passes (status UP, or DRAIN for a drained server that is up; field 18). */
export function waitUpCommand(role: HaproxyRole, backend: string, server: string, deadlineMs: number, drained = false): string {
  const ok = drained ? 'UP*|DRAIN*|"no check"' : 'UP*|"no check"';
  return pollStat(role, backend, server, 18, `case "$v" in ${ok}) true;; *) false;; esac`, deadlineMs, `${backend}/${server}: not UP after ${seconds(deadlineMs)} s`, EXIT_NOT_UP);
}

/** An HTTP health gate from where baton runs: `consecutive` good answers in a row before the deadline. */
export function httpHealthCommand(url: string, h: HealthSpec, version: string): string {
  const body = h.body?.replaceAll('{version}', version);
  return [
    `bt_end=$(( $(date +%s) + ${seconds(h.within)} )); ok=0; f=$(mktemp); trap 'rm -f "$f"' EXIT`,
    'while :; do',
    `  code=$(curl -s -o "$f" -w '%{http_code}' --max-time 2 -- ${q(url)})`,
    `  if [ "$code" = ${h.status} ]${body ? ` && grep -qF -- ${q(body)} "$f"` : ''}; then ok=$((ok + 1)); else ok=0; fi`,
    `  if [ $ok -ge ${h.consecutive} ]; then echo ${q(`${url}: ${h.status}`)}; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$bt_end" ]; then echo "${url}: answered $code $(head -c 200 "$f")" >&2; exit 1; fi`,
    '  sleep 0.3',
    'done',
  ].join('\n');
}

/** A command health gate on the host: exit 0 `consecutive` times in a row before the deadline. */
export function commandHealthCommand(h: HealthSpec, env: string): string {
  return [
    `bt_end=$(( $(date +%s) + ${seconds(h.within)} )); ok=0`,
    'while :; do',
    `  if ( ${env}\n${h.command!}\n) >/dev/null 2>&1; then ok=$((ok + 1)); else ok=0; fi`,
    `  if [ $ok -ge ${h.consecutive} ]; then echo healthy; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$bt_end" ]; then echo 'health command failing' >&2; exit 1; fi`,
    '  sleep 0.3',
    'done',
  ].join('\n');
}

/** The variables a stage command sees, as `export` lines. */
export function envLines(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => `export ${k}=${q(v)}`)
    .join('; ');
}

/** Exit code of an analysis with too little data: inconclusive, the deploy pauses. */
export const EXIT_INCONCLUSIVE = 3;

/** Several servers' weights on one LB in one runtime API call (`set server ...;set server ...`). */
export function weightsCommand(role: HaproxyRole, backend: string, weights: ReadonlyArray<[server: string, weight: number]>): string {
  return adminApplyCommand(role, weights.map(([s, w]) => `set server ${backend}/${s} weight ${w}`).join(';'));
}

/**
 * A canary host's own reading over a step's pause: CPU busy from /proc/stat
 * at its start and end, memory in use from /proc/meminfo at the end. Fails
 * above max_cpu_percent or max_mem_percent; it never passes or pauses the
 * step on its own (see StepPlace.veto).
 */
export function hostAnalysisCommand(host: string, pauseMs: number, a: AnalysisSpec): string {
  const who = q(host);
  return [
    // cpu user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    'cpu() { read -r _ u n s i w q sq st _ </proc/stat; echo $((u + n + s + q + sq + st)) $((i + w)); }',
    'set -- $(cpu); b0=$1; i0=$2',
    `sleep ${pauseMs / 1000}`,
    'set -- $(cpu); b=$(($1 - b0)); t=$((b + $2 - i0)); [ "$t" -gt 0 ] || t=1; c=$((b * 100 / t))',
    `m=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { printf "%d", t ? (t - a) * 100 / t : 0 }' /proc/meminfo)`,
    `echo ${who}": cpu $c %, memory $m % over ${pauseMs / 1000} s"`,
    a.max_cpu_percent === undefined ? '' : `if [ "$c" -gt ${Math.floor(a.max_cpu_percent)} ]; then echo ${who}": cpu $c % over ${a.max_cpu_percent} %" >&2; exit 1; fi`,
    a.max_mem_percent === undefined ? '' : `if [ "$m" -gt ${Math.floor(a.max_mem_percent)} ]; then echo ${who}": memory $m % over ${a.max_mem_percent} %" >&2; exit 1; fi`,
    'exit 0',
  ].filter(Boolean).join('\n');
}

/**
 * A Redis broker's backlog over a step's pause: every list's length and
 * every stream group's lag and pending entries, summed at the start and at
 * the end. Fails when it grew by more than max_backlog_growth (the new
 * release falling behind on its work); like the host reading, a veto.
 */
export function backlogAnalysisCommand(broker: string, role: RedisRole, pauseMs: number, maxGrowth: number): string {
  const cli = `redis-cli -h ${q(role.host ?? '127.0.0.1')} -p ${role.port ?? 6379}`;
  // XINFO GROUPS --raw: field and value on alternate lines; lag is absent before Redis 7 (counted 0).
  const groups = `awk '$0 == "bad" { print; exit } NR % 2 == 1 { k = $0; next } k == "lag" || k == "pending" { s += $0 } END { print s + 0 }'`;
  // A redis-cli that cannot connect exits 1: its `bad` line fails the reading (an error reply, a missing stream, reads as 0).
  const reads = [
    ...(role.lists ?? []).map((l) => `{ ${cli} --raw LLEN ${q(l)} </dev/null || echo bad; }`),
    ...(role.streams ?? []).map((st) => `{ ${cli} --raw XINFO GROUPS ${q(st)} </dev/null 2>/dev/null || echo bad; } | ${groups}`),
  ];
  const who = q(broker);
  return [
    // One number per queue; anything else (no server, a key of another type) makes the reading fail.
    `backlog() { { ${reads.map((r) => `${r};`).join(' ')} } | awk '/^[0-9]+$/ { s += $0; next } { bad = 1 } END { if (bad) exit 1; print s + 0 }'; }`,
    `b0=$(backlog) || { echo ${who}": cannot read the backlog with redis-cli" >&2; exit 1; }`,
    `sleep ${pauseMs / 1000}`,
    `b=$(backlog) || { echo ${who}": cannot read the backlog with redis-cli" >&2; exit 1; }`,
    'g=$((b - b0))',
    `echo ${who}": backlog $b0 -> $b ($g) over ${pauseMs / 1000} s"`,
    `if [ "$g" -gt ${maxGrowth} ]; then echo ${who}": backlog grew by $g, over ${maxGrowth}" >&2; exit 1; fi`,
    'exit 0',
  ].join('\n');
}

/**
 * A canary step's analysis: the server's answers (hrsp_*), 5xx, status and
 * rtime from `show stat` (by header name) at the start and the end of the
 * pause. Fails on a server not UP, too many 5xx or too slow; inconclusive
 * (exit 3) with fewer answers than min_requests.
 */
export function analysisCommand(role: HaproxyRole, backend: string, server: string, pauseMs: number, a: AnalysisSpec): string {
  const awk = `/^# / { sub(/^# /, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
$1 == b && $2 == s { print $c["hrsp_1xx"] + $c["hrsp_2xx"] + $c["hrsp_3xx"] + $c["hrsp_4xx"] + $c["hrsp_5xx"] + $c["hrsp_other"], $c["hrsp_5xx"] + 0, $c["status"], $c["rtime"] + 0; exit }`;
  const who = `${backend}/${server}`;
  return [
    `snap() { { ${adminQueryCommand(role, 'show stat')}
} 2>/dev/null | awk -F, -v b=${q(backend)} -v s=${q(server)} ${q(awk)}; }`,
    'set -- $(snap); t0=${1:-0}; e0=${2:-0}',
    `sleep ${pauseMs / 1000}`,
    'set -- $(snap); n=$(( ${1:-0} - t0 )); e=$(( ${2:-0} - e0 )); st=${3:-unknown}; rt=${4:-0}',
    `echo "${who}: $n answers, $e 5xx, status $st, rtime $rt ms over ${pauseMs / 1000} s"`,
    `case "$st" in UP*) ;; *) echo "${who} is $st on the LB" >&2; exit 1 ;; esac`,
    `if [ $((e * 10000)) -gt $((${Math.round(a.max_error_percent * 100)} * n)) ]; then echo "${who}: $e of $n answers were 5xx (over ${a.max_error_percent} %)" >&2; exit 1; fi`,
    a.max_response_ms === undefined ? '' : `if [ "$rt" -gt ${a.max_response_ms} ]; then echo "${who}: rtime $rt ms over ${a.max_response_ms} ms" >&2; exit 1; fi`,
    `if [ "$n" -lt ${a.min_requests} ]; then echo "${who}: only $n answers, fewer than ${a.min_requests}: inconclusive" >&2; exit ${EXIT_INCONCLUSIVE}; fi`,
    'exit 0',
  ].filter(Boolean).join('\n');
}
