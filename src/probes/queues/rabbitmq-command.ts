// The RabbitMQ queue probe's remote command, run on the broker host over
// SSH. Two sources, one output shape: rabbitmqctl list_queues --formatter
// json (no credentials beyond the Erlang cookie the host user has), or the
// management HTTP API read with curl on the host (adds message counters, so
// in/out rates are measured). The management password never leaves the
// broker host: the shell reads it from a file or a session variable and
// hands it to curl on stdin (`-K -`), so it is in no command line (ps) and
// in nothing baton sends, logs or shows.
import { quote } from 'shell-quote';
import { MARK } from '../probe-output.js';

export interface RabbitQueueConfig {
  vhost: string;
  node?: string;
  rabbitmqctl: string;
  sudo: boolean;
  /** Queues to report; undefined: every queue of the vhost. */
  queues?: string[];
  deadLetters: string[];
  management?: { url: string; user: string; passwordFile?: string; passwordEnv?: string };
}

export const CTL_COLUMNS = ['name', 'type', 'durable', 'state', 'messages', 'messages_ready', 'messages_unacknowledged', 'consumers', 'arguments'] as const;
/** message_stats carries the publish/deliver/ack counters and the broker's own rates. */
export const API_COLUMNS = [...CTL_COLUMNS, 'message_stats'] as const;
/** rabbitmqctl's own RPC timeout (s), under the transport's command timeout. */
const CTL_TIMEOUT_S = 8;
const CURL_TIMEOUT_S = 5;

const q = (value: string) => quote([value]);

/**
 * Runs `run` with its stdout as the section body and its stderr captured
 * apart, then frames both: @@baton:queues / stdout / @@baton:stderr /
 * stderr / @@baton:exit CODE.
 */
function framed(source: 'rabbitmqctl' | 'management', run: string): string[] {
  return [
    `printf '${MARK}source ${source}\\n${MARK}queues\\n'`,
    `{ bt_e=$( { ${run}; } 2>&1 1>&3 3>&-); bt_rc=$?; } 3>&1`,
    `printf '\\n${MARK}stderr\\n%s\\n${MARK}exit %s\\n' "$bt_e" "$bt_rc"`,
  ];
}

function missing(what: string, hint: string): string {
  return `printf '${MARK}queues\\n${MARK}stderr\\n%s\\n${MARK}exit 127\\n' ${q(`${what} ${hint}`)}`;
}

function ctlCommand(c: RabbitQueueConfig): string[] {
  const ctl = [...(c.sudo ? ['sudo', '-n'] : []), c.rabbitmqctl, '-q', ...(c.node ? ['-n', c.node] : []), '-t', String(CTL_TIMEOUT_S)];
  const list = quote([...ctl, 'list_queues', '-p', c.vhost, ...CTL_COLUMNS, '--formatter', 'json']);
  return [
    `if ! command -v ${q(c.rabbitmqctl)} >/dev/null 2>&1; then`,
    `  ${missing(`${c.rabbitmqctl} is not installed or not on PATH on this host`, '(Debian and Ubuntu: the rabbitmq-server package; or set roles.rabbitmq.rabbitmqctl)')}`,
    'else',
    ...framed('rabbitmqctl', `${list} </dev/null`).map((l) => `  ${l}`),
    'fi',
  ];
}

/** curl's config-file quoting: backslash and double quote escaped. */
const curlQuoted = (s: string) => s.replace(/[\\"]/g, (m) => `\\${m}`);

function apiCommand(c: RabbitQueueConfig, m: NonNullable<RabbitQueueConfig['management']>): string[] {
  // Interpolated bare (a shell variable name): the inventory schema allows identifiers only.
  if (m.passwordEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.passwordEnv)) throw new Error(`rabbitmq management: passwordEnv ${JSON.stringify(m.passwordEnv)} is not a variable name`);
  const url = `${m.url.replace(/\/+$/, '')}/api/queues/${encodeURIComponent(c.vhost)}?columns=${API_COLUMNS.join(',')}`;
  const escape = `sed 's/[\\\\"]/\\\\&/g'`;
  const [check, secret, where] = m.passwordFile
    ? [`[ -r ${q(m.passwordFile)} ]`, `tr -d '\\n' <${q(m.passwordFile)} | ${escape}`, `the password file ${m.passwordFile} is missing or not readable by this user`]
    : [`[ -n "\${${m.passwordEnv}:-}" ]`, `printf '%s' "$${m.passwordEnv}" | ${escape}`, `the variable ${m.passwordEnv} is not set in this host's login sessions`];
  const config = `{ printf 'user = "%s:' ${q(curlQuoted(m.user))}; ${secret}; printf '"\\n'; }`;
  return [
    'if ! command -v curl >/dev/null 2>&1; then',
    `  ${missing('curl is not installed on this host', '(Debian and Ubuntu: the curl package), needed for the management API')}`,
    `elif ! ${check}; then`,
    `  ${missing(`rabbitmq management: ${where}`, '(roles.rabbitmq.management)')}`,
    'else',
    ...framed('management', `${config} | curl -sS -f --max-time ${CURL_TIMEOUT_S} -K - ${q(url)}`).map((l) => `  ${l}`),
    'fi',
  ];
}

/** The remote command; every inventory value is shell-quoted, no secret is in it. */
export function rabbitQueueProbeCommand(config: RabbitQueueConfig): string {
  const lines = config.management ? apiCommand(config, config.management) : ctlCommand(config);
  return [...lines, `echo '${MARK}end'`].join('\n');
}
