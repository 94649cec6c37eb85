// `[user@]host[:port]` as written in pssh hosts files and ProxyJump hops.
// IPv6 addresses take a port only in brackets (`[::1]:2222`); a bare address
// with several colons is all address, as in OpenSSH.
import { quoteSnippet, showControls } from './quote-snippet.js';

// Whitespace, control characters (C0, DEL, C1) and U+FFFD, which is what
// bytes that are not UTF-8 read as: none belongs in a user or host name.
// eslint-disable-next-line no-control-regex
const UNEXPECTED = /[\s\x00-\x1f\x7f-\x9f\ufffd]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

function describeUnexpected(char: string): string {
  if (char === '\ufffd') return 'bytes that are not UTF-8 text';
  return CONTROL.test(char) ? `control character ${showControls(char)}` : 'whitespace';
}

export interface UserHostPort {
  user?: string;
  /** The address, without IPv6 brackets. */
  host: string;
  port?: number;
  /** `host[:port]` exactly as written, brackets kept. */
  hostPort: string;
}

export class HostPortError extends Error {
  override readonly name = 'HostPortError';

  constructor(
    /** 0-based offset of the offending character. */
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseUserHostPort(text: string): UserHostPort {
  const bad = UNEXPECTED.exec(text);
  if (bad) throw new HostPortError(bad.index, `unexpected ${describeUnexpected(bad[0])} in ${quoteSnippet(text)}`);
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  if (user === '') throw new HostPortError(0, `empty user before "@" in ${quoteSnippet(text)}`);
  const hostStart = at + 1;
  const hostPort = text.slice(hostStart);
  const { host, portText, portIndex } = splitHostPort(hostPort, hostStart);
  if (host === '') throw new HostPortError(hostStart, `missing host in ${quoteSnippet(text)}`);
  const result: UserHostPort = { host, hostPort };
  if (user !== undefined) result.user = user;
  if (portText !== undefined) result.port = parsePort(portText, portIndex);
  return result;
}

function splitHostPort(hostPort: string, offset: number): { host: string; portText?: string; portIndex: number } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new HostPortError(offset, `unclosed "[" in ${quoteSnippet(hostPort)}`);
    const rest = hostPort.slice(close + 1);
    const host = hostPort.slice(1, close);
    if (rest === '') return { host, portIndex: 0 };
    if (!rest.startsWith(':')) {
      throw new HostPortError(offset + close + 1, `expected ":port" after "]", got ${quoteSnippet(rest)}`);
    }
    return { host, portText: rest.slice(1), portIndex: offset + close + 2 };
  }
  const colon = hostPort.indexOf(':');
  if (colon < 0 || colon !== hostPort.lastIndexOf(':')) return { host: hostPort, portIndex: 0 };
  return { host: hostPort.slice(0, colon), portText: hostPort.slice(colon + 1), portIndex: offset + colon + 1 };
}

function parsePort(text: string, index: number): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new HostPortError(index, `expected a port 1-65535, got ${quoteSnippet(text)}`);
  }
  return port;
}

/** A ProxyJump value: `none`, or comma-separated hops, each optionally `ssh://`. */
export function parseJumpSpec(spec: string): UserHostPort[] {
  if (spec.toLowerCase() === 'none') return [];
  const hops: UserHostPort[] = [];
  let offset = 0;
  for (const hop of spec.split(',')) {
    const scheme = hop.startsWith('ssh://') ? 'ssh://'.length : 0;
    try {
      hops.push(parseUserHostPort(hop.slice(scheme)));
    } catch (error) {
      if (!(error instanceof HostPortError)) throw error;
      throw new HostPortError(offset + scheme + error.index, error.message);
    }
    offset += hop.length + 1;
  }
  return hops;
}
