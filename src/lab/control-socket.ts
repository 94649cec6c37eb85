// The lab supervisor's control socket (DIR/control.sock): one JSON request
// line, one JSON reply line, then the connection closes. `baton lab status|
// fail|heal|down|rates|drift|load|traffic` are clients; the supervisor is the only server.
import { createServer, connect, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import type { ComponentStatus } from './component.js';

export type LabRequest =
  | { cmd: 'status' }
  | { cmd: 'fail' | 'heal'; target: string }
  | { cmd: 'down' }
  | { cmd: 'rates'; produce?: number; consume?: number }
  | { cmd: 'drift'; host: string; file?: string }
  /** percent null: the host reads the real /proc again. */
  | { cmd: 'load'; host: string; percent: number | null }
  | { cmd: 'traffic'; rate: number };

export interface LabStatus {
  dir: string;
  pid: number;
  startedAt: string;
  /** Milliseconds from the supervisor's start to ready. */
  startMs: number;
  /** When the lab shuts itself down (--ttl). */
  expiresAt: string;
  inventory: string;
  sshPort: number;
  user: string;
  components: ComponentStatus[];
  /** Every fault target, for `lab fail` errors and help. */
  targets: string[];
  /** The supervisor and every process under it. */
  memory: { processes: number; rssBytes: number; pssBytes: number };
  /** Things the operator should know (a port fallback, a component left out). */
  notes: string[];
}

export type LabReply =
  | {
      ok: true;
      message?: string;
      status?: LabStatus;
      /**
       * For `fail`: when the fault took effect (the signal sent, the CIB
       * swapped in), in epoch milliseconds with a fraction (see epochMs), so a
       * client times what follows from the fault itself, not from its request.
       */
      effectiveAt?: number;
    }
  | { ok: false; error: string };

const MAX_LINE = 64 * 1024;

export async function serveControl(path: string, handle: (request: LabRequest) => Promise<LabReply>): Promise<Server> {
  await rm(path, { force: true }); // a stale socket of a lab that died
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // a client that went away
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end < 0 && buffer.length < MAX_LINE) return;
      socket.pause();
      const reply = (r: LabReply) => socket.end(`${JSON.stringify(r)}\n`);
      let request: LabRequest;
      try {
        request = JSON.parse(buffer.slice(0, end < 0 ? undefined : end)) as LabRequest;
      } catch {
        return reply({ ok: false, error: 'bad request: expected one JSON line' });
      }
      handle(request).then(reply, (err: Error) => reply({ ok: false, error: err.message }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return server;
}

export class LabNotRunning extends Error {
  constructor() {
    super('the lab is not running; start it with: baton lab up');
  }
}

/** Sends one request; LabNotRunning when no supervisor listens. */
export function askLab(path: string, request: LabRequest, timeoutMs = 60_000): Promise<LabReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = '';
    const timer = setTimeout(() => socket.destroy(new Error(`the lab supervisor did not answer within ${timeoutMs / 1000} s (${path})`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (buffer += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? new LabNotRunning() : err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(buffer) as LabReply);
      } catch {
        reject(new Error(`the lab supervisor closed the connection without a reply (${path})`));
      }
    });
  });
}
