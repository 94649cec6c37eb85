// An HTTP(S) health check: curl on the machine it runs from (a host over its
// existing connection, or baton's own), every interpolated value
// shell-quoted; its pure parser, which never throws, and the verdict against
// what the inventory expects (status, body pattern, latency).
import { quote } from 'shell-quote';
import type { HealthCheck } from '../inventory/types.js';
import { failedReadyz, parseReadyzVerbose, type ReadyzCheck } from './http-check-readyz.js';
import { MARK, RAW_LIMIT } from './probe-output.js';

/** Bounds one check, so a hung server costs at most this much of its lane. */
export const CHECK_CONNECT_SECONDS = 3;
export const CHECK_MAX_SECONDS = 5;
/** A health page is small; a bigger body is cut off (curl exits 63) and fails. */
const MAX_BODY_BYTES = 1024 * 1024;
const BODY_SNIPPET = 200;

export function httpCheckCommand(check: HealthCheck): string {
  const args = ['curl', '-sS', '--stderr', '-', '--max-filesize', String(MAX_BODY_BYTES), '--connect-timeout', String(CHECK_CONNECT_SECONDS), '--max-time', String(CHECK_MAX_SECONDS)];
  if (check.cacert) args.push('--cacert', check.cacert);
  if (check.insecure) args.push('--insecure');
  // Error lines go to stdout (--stderr -) in the order curl writes them; the marker line comes last.
  args.push('-w', `\\n${MARK}check %{http_code} %{time_total}\\n`, check.url);
  return [
    'if command -v curl >/dev/null 2>&1; then',
    `  ${quote(args)}; echo "${MARK}exit $?"`,
    'else',
    `  echo '${MARK}none'`,
    'fi',
  ].join('\n');
}

export interface HttpCheckResult {
  ok: boolean;
  /** null when no HTTP answer came (refused, timed out, TLS failure). */
  status: number | null;
  latencyMs: number | null;
  /** Why it failed; null when ok. */
  reason: string | null;
  /** Kubernetes verbose health output, check by check; empty for any other body. */
  readyz: ReadyzCheck[];
  body: string;
}

export type HttpCheckParse = { kind: 'result'; result: HttpCheckResult } | { kind: 'parse-error'; message: string; raw: string };

const CHECK_LINE = new RegExp(`\\n?${MARK}check (\\d{3}) ([\\d.]+)\\n`);
const EXIT_LINE = new RegExp(`^${MARK}exit (\\d+)$`, 'm');
const CURL_ERROR = /^curl: \(\d+\) (.*)$/gm;

function statusPasses(check: HealthCheck, status: number): boolean {
  return check.expectStatus.length === 0 ? status >= 200 && status < 300 : check.expectStatus.includes(status);
}

/** A body pattern the inventory already compiled once; a bad one never reaches here, but a throw must not pass the boundary. */
function bodyMatches(pattern: string, body: string): boolean {
  try {
    return new RegExp(pattern).test(body);
  } catch {
    return false;
  }
}

function verdict(check: HealthCheck, status: number | null, latencyMs: number | null, exitCode: number, curlError: string | undefined, readyz: ReadyzCheck[], body: string): string | null {
  if (status === null) return curlError ?? `curl exited ${exitCode} without an answer`;
  if (!statusPasses(check, status)) {
    const failed = failedReadyz(readyz);
    return `HTTP ${status}${failed ? `: ${failed}` : ''}`;
  }
  if (exitCode !== 0) return curlError ?? `curl exited ${exitCode}`;
  if (check.expectBody !== undefined && !bodyMatches(check.expectBody, body)) return `body does not match /${check.expectBody}/`;
  if (check.maxMs !== undefined && latencyMs !== null && latencyMs > check.maxMs) return `slow: ${Math.round(latencyMs)} ms (max ${check.maxMs})`;
  return null;
}

export function parseHttpCheck(output: string, check: HealthCheck): HttpCheckParse {
  if (output.includes(`${MARK}none`)) return { kind: 'parse-error', message: 'no curl where the check runs: install curl there', raw: output.slice(0, RAW_LIMIT) };
  const line = CHECK_LINE.exec(output);
  const exit = EXIT_LINE.exec(output);
  if (!line || !exit) return { kind: 'parse-error', message: `check ${check.name}: no curl result line in the output (was it cut off?)`, raw: output.slice(0, RAW_LIMIT) };
  const code = Number(line[1]);
  const status = code >= 100 ? code : null;
  const seconds = Number(line[2]);
  const latencyMs = status !== null && Number.isFinite(seconds) ? Math.round(seconds * 1e6) / 1000 : null;
  const before = output.slice(0, line.index);
  const errors = [...before.matchAll(CURL_ERROR)].map((m) => m[1]!);
  const body = before.replace(CURL_ERROR, '');
  const readyz = parseReadyzVerbose(body);
  const reason = verdict(check, status, latencyMs, Number(exit[1]), errors.at(-1), readyz, body);
  return { kind: 'result', result: { ok: reason === null, status, latencyMs, reason, readyz, body: body.slice(0, BODY_SNIPPET) } };
}
