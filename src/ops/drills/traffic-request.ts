// One traffic request of a drill, ended as Jepsen does: ok (done), fail
// (certainly not done: refused, an error answer) or unknown (timed out or cut
// off after it was sent: it may have been served). A new connection each
// time, so a failover is seen by the very next request.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { quote } from 'shell-quote';
import type { Transport } from '../../transport/types.js';

export type RequestOutcome = 'ok' | 'fail' | 'unknown';

export interface RequestResult {
  outcome: RequestOutcome;
  /** What went wrong, short: "503", "ECONNREFUSED", "timed out". */
  detail?: string;
}

/** Errors raised before anything was sent: the request certainly did not happen. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL', 'EAI_AGAIN']);

const errorResult = (err: NodeJS.ErrnoException, sent: boolean): RequestResult => ({ outcome: !sent && NOT_SENT.has(err.code ?? '') ? 'fail' : 'unknown', detail: err.code ?? err.message });

export function httpGet(url: string, timeoutMs: number, method = 'GET', body?: string): Promise<RequestResult> {
  return new Promise((resolve) => {
    const make = url.startsWith('https:') ? httpsRequest : httpRequest;
    let sent = false;
    const req = make(url, { method, agent: false, timeout: timeoutMs, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c.length < 4096 ? c : ''));
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { outcome: 'ok', detail: text.slice(0, 200) } : { outcome: 'fail', detail: String(code) });
      });
      res.on('error', (err) => resolve(errorResult(err, true)));
    });
    req.on('socket', (s) => s.on('connect', () => (sent = true)));
    req.on('timeout', () => {
      req.destroy();
      resolve({ outcome: 'unknown', detail: 'timed out' });
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(errorResult(err, sent)));
    req.end(body);
  });
}

/** A TCP connect, or with `send` a one-line exchange whose answer must start with `expect` (Redis PING). */
export function tcpExchange(hostPort: string, timeoutMs: number, send?: string, expect?: string): Promise<RequestResult> {
  const at = hostPort.lastIndexOf(':');
  return new Promise((resolve) => {
    let connected = false;
    let answer = '';
    const socket = connect({ host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) });
    const done = (r: RequestResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done({ outcome: connected || send === undefined ? 'unknown' : 'fail', detail: 'timed out' }), timeoutMs);
    socket.on('connect', () => {
      connected = true;
      if (send === undefined) return done({ outcome: 'ok' });
      socket.write(send);
    });
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      answer += c;
      if (answer.includes('\n')) done(answer.startsWith(expect ?? '') ? { outcome: 'ok' } : { outcome: 'fail', detail: answer.trim().slice(0, 200) });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => done(errorResult(err, connected)));
    socket.on('close', () => done({ outcome: connected ? 'unknown' : 'fail', detail: 'closed' }));
  });
}

/** `etcdctl put` through etcd's HTTP gateway (/v3/kv/put): written when the answer has a header. */
export async function etcdPut(endpoint: string, key: string, value: string, timeoutMs: number): Promise<RequestResult> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const r = await httpGet(`${endpoint.replace(/\/+$/, '')}/v3/kv/put`, timeoutMs, 'POST', JSON.stringify({ key: b64(key), value: b64(value) }));
  if (r.outcome === 'ok' && !r.detail?.includes('"header"')) return { outcome: 'fail', detail: r.detail };
  return r;
}

/** curl on an inventory host over its open connection: the same GET, from where that host stands. */
export async function remoteHttpGet(transport: Transport, url: string, timeoutMs: number): Promise<RequestResult> {
  const seconds = (timeoutMs / 1000).toFixed(3);
  const command = `${quote(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', seconds, '--', url])}; echo " $?"`;
  try {
    const r = await transport.exec(command, { timeoutMs: timeoutMs + 5000 });
    const [code = '', rc = ''] = r.stdout.trim().split(/\s+/);
    // curl 28: the time ran out (maybe served); 7: refused; 6: no such host.
    if (rc === '28' || r.timedOut) return { outcome: 'unknown', detail: 'timed out' };
    const status = Number(code);
    if (rc === '0' && status >= 200 && status < 400) return { outcome: 'ok' };
    return { outcome: 'fail', detail: rc === '0' ? code : `curl exit ${rc}` };
  } catch (err) {
    return { outcome: 'fail', detail: `${transport.hostId}: ${(err as Error).message.split('\n')[0]}` };
  }
}
