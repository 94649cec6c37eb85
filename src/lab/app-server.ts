// The lab's web app: a tiny HTTP server for one web host, run as its own
// process (node dist/lab/app-server.js) by the host's bin/app-start script.
// It serves what the current release says, so a deploy that flips
// `current` changes /version and a release with a bad `healthy` file fails
// HAProxy's health check. GET /config serves its conf/app.conf as it is now.
// A release with a `fail-after` file (N) answers its
// first N requests, then 500 (and /health 503): it passes startup and fails
// under traffic, as a bad release does.
//
// The process is a primary that keeps one worker serving (node:cluster: the
// listening socket stays open across a restart). With --control PATH it
// takes `restart` on that unix socket: a new worker starts, and once it
// listens the old one finishes its requests and goes, so a restart refuses
// no connection. A path on the filesystem reaches the app from any of the
// host's namespaces (the lab's sshd sessions may have their own network and
// PID namespaces, where the app's pid and address mean nothing).
import cluster, { type Worker } from 'node:cluster';
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_CONFIG_DIR, APP_CONFIG_FILE } from './app-config.js';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'string' },
    root: { type: 'string' },
    'pid-file': { type: 'string' },
    control: { type: 'string' },
  },
});
const { name = 'app', address = '127.0.0.1', port = '8080', root = '.' } = values;
const pidFile = values['pid-file'];
const OLD_WORKER_GRACE_MS = 5000;

/** A file, trimmed; undefined when it is missing. */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A file of the current release. */
const releaseFile = (file: string): string | undefined => readText(join(root, 'current', file));

function serve(): void {
  // Requests served per release (by its real path): what fail-after counts.
  const served = new Map<string, number>();
  const failing = (): string | undefined => {
    const limit = Number(releaseFile('fail-after'));
    if (!Number.isFinite(limit) || releaseFile('fail-after') === undefined) return undefined;
    let release: string;
    try {
      release = realpathSync(join(root, 'current'));
    } catch {
      return undefined;
    }
    const n = (served.get(release) ?? 0) + 1;
    served.set(release, n);
    return n > limit ? `failing after ${limit} requests` : undefined;
  };
  const server = createHttpServer((req, res) => {
    const reply = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(`${body}\n`);
    };
    const version = releaseFile('version');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'GET only');
    const broken = failing();
    if (req.url === '/health') {
      const healthy = releaseFile('healthy');
      if (broken) return reply(503, broken);
      return healthy === undefined || healthy === 'ok' ? reply(200, 'ok') : reply(503, healthy || 'unhealthy');
    }
    if (broken) return reply(500, broken);
    if (req.url === '/config') {
      const config = readText(join(root, APP_CONFIG_DIR, APP_CONFIG_FILE));
      return config === undefined ? reply(500, `no ${APP_CONFIG_DIR}/${APP_CONFIG_FILE}`) : reply(200, config);
    }
    if (req.url === '/version') return version === undefined ? reply(500, 'no current/version') : reply(200, version);
    if (req.url === '/') return reply(200, `${name} ${version ?? '?'}`);
    return reply(404, 'not found');
  });
  process.on('disconnect', () => server.close());
  server.listen({ host: address, port: Number(port) });
}

function primary(): void {
  let current: Worker | undefined;
  let stopping = false;
  const start = (onListening: (w: Worker) => void): Worker => {
    const w = cluster.fork();
    w.once('listening', () => onListening(w));
    w.once('exit', () => {
      // A worker that dies on its own is replaced, as a process manager would.
      if (w === current && !stopping) current = start(() => undefined);
    });
    return w;
  };
  const restart = (answer: (text: string) => void): void => {
    const old = current;
    current = start((w) => {
      old?.disconnect();
      if (old) setTimeout(() => old.isDead() || old.kill('SIGKILL'), OLD_WORKER_GRACE_MS).unref();
      answer(`${name}: restarted, worker pid ${w.process.pid}\n`);
    });
  };
  const control = values.control
    ? createNetServer({ allowHalfOpen: true }, (socket) => {
        socket.setEncoding('utf8');
        socket.once('data', (line: string) => {
          if (line.trim() === 'restart') restart((text) => socket.end(text));
          else socket.end(`${name}: unknown command ${line.trim().slice(0, 40)}; known: restart\n`);
        });
      })
    : undefined;
  const shutdown = (): void => {
    stopping = true;
    if (pidFile) rmSync(pidFile, { force: true });
    control?.close();
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    const exitWhenDone = () => (Object.keys(cluster.workers ?? {}).length === 0 ? process.exit(0) : setTimeout(exitWhenDone, 50));
    exitWhenDone();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  const ready = (): void => {
    // Written once listening (and taking restarts): app-start waits for it to know the app is up.
    if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
    process.stdout.write(`${name}: listening on ${address}:${port}, serving ${join(root, 'current')}\n`);
  };
  current = start(() => {
    if (!control || !values.control) return ready();
    rmSync(values.control, { force: true });
    control.listen(values.control, ready);
  });
}

if (cluster.isPrimary) primary();
else serve();
