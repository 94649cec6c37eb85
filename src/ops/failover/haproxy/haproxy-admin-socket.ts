// Commands to HAProxy's runtime API on the LB host, through the same tools
// and sockets the probe uses (socat or nc on the unix socket, then on the
// TCP stats socket), saying which. The HTTP stats page is not one of them:
// it cannot take `set server`. Every value is shell-quoted; the query itself
// is built by baton from names HAProxy accepts (haproxy-names.ts).
import { quote } from 'shell-quote';
import type { HaproxyRole } from '../../../inventory/types.js';
import { MARK } from '../../../probes/probe-output.js';

/** Exit code of an apply command when HAProxy answered with an error (its answer is on stderr). */
export const HAPROXY_REFUSED_EXIT = 4;
/** Exit code when the host has no tool or socket to reach the runtime API. */
export const NO_ADMIN_SOCKET_EXIT = 5;

function splitHostPort(tcp: string | undefined): [string, string] {
  if (!tcp) return ['', ''];
  const at = tcp.lastIndexOf(':');
  return [tcp.slice(0, at).replace(/^\[|\]$/g, ''), tcp.slice(at + 1)];
}

/** Why the role gives no way to change state, or undefined when it names a socket. */
export function adminSocketProblem(role: HaproxyRole): string | undefined {
  if (role.socket || role.tcp) return undefined;
  if (role.statsUrl) return 'only the HTTP stats page is configured (roles.haproxy.statsUrl): it can read state but not set it; set roles.haproxy.socket (admin level) or tcp';
  return 'no admin socket is configured: set roles.haproxy.socket (admin level) or tcp';
}

/** Sends `query` and prints `@@baton:via TOOL` then HAProxy's answer. */
export function adminQueryCommand(role: HaproxyRole, query: string): string {
  const [host, port] = splitHostPort(role.tcp);
  return [
    `bt_s=${quote([role.socket ?? ''])}; bt_h=${quote([host])}; bt_p=${quote([port])}; bt_q=${quote([query])}`,
    'if [ -n "$bt_s" ] && [ -S "$bt_s" ] && command -v socat >/dev/null 2>&1; then',
    `  echo '${MARK}via socat unix socket'; printf '%s\\n' "$bt_q" | socat -t 5 stdio "UNIX-CONNECT:$bt_s"`,
    'elif [ -n "$bt_s" ] && [ -S "$bt_s" ] && command -v nc >/dev/null 2>&1; then',
    `  echo '${MARK}via nc unix socket'; printf '%s\\n' "$bt_q" | nc -N -U "$bt_s"`,
    'elif [ -n "$bt_h" ] && command -v socat >/dev/null 2>&1; then',
    `  echo '${MARK}via socat tcp socket'; printf '%s\\n' "$bt_q" | socat -t 5 stdio "TCP:$bt_h:$bt_p"`,
    'elif [ -n "$bt_h" ] && command -v nc >/dev/null 2>&1; then',
    `  echo '${MARK}via nc tcp socket'; printf '%s\\n' "$bt_q" | nc -N -w 5 "$bt_h" "$bt_p"`,
    'else',
    `  echo '${MARK}via none'; echo 'no way to reach the HAProxy runtime API: the socket is missing or neither socat nor nc is on the host' >&2; exit ${NO_ADMIN_SOCKET_EXIT}`,
    'fi',
  ].join('\n');
}

/**
 * Runs one change. HAProxy answers a `set server` that worked with an empty
 * line and one that did not with its reason, while socat exits 0 either way:
 * any answer makes the step fail, with HAProxy's words on stderr.
 */
export function adminApplyCommand(role: HaproxyRole, query: string): string {
  return [
    `bt_out=$( { ${adminQueryCommand(role, query)}\n} 2>&1 ); bt_rc=$?`,
    `bt_said=$(printf '%s\\n' "$bt_out" | grep -v '^${MARK}' | grep -v '^[[:space:]]*$')`,
    `printf '%s\\n' "$bt_out" | grep '^${MARK}'`,
    '[ "$bt_rc" -eq 0 ] || { printf \'%s\\n\' "$bt_said" >&2; exit "$bt_rc"; }',
    `[ -z "$bt_said" ] || { printf 'haproxy: %s\\n' "$bt_said" >&2; exit ${HAPROXY_REFUSED_EXIT}; }`,
  ].join('\n');
}

/** The via line and the rest of the output. */
export function splitVia(output: string): { via: string | null; body: string } {
  const at = output.indexOf(`${MARK}via `);
  if (at < 0) return { via: null, body: output };
  const eol = output.indexOf('\n', at);
  return { via: output.slice(at + MARK.length + 4, eol < 0 ? undefined : eol), body: eol < 0 ? '' : output.slice(eol + 1) };
}
