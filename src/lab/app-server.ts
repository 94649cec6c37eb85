// The lab's web app: a tiny HTTP server for one web host, run as its own
// process (node dist/lab/app-server.js) by the host's bin/app-start script.
// It serves what the current release says, so a deploy that flips
// `current` changes /version and a release with a bad `healthy` file fails
// HAProxy's health check. GET /config serves its conf/app.conf as it is now.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
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
  },
});
const { name = 'app', address = '127.0.0.1', port = '8080', root = '.' } = values;
const pidFile = values['pid-file'];

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

const server = createServer((req, res) => {
  const reply = (status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
    res.end(`${body}\n`);
  };
  const version = releaseFile('version');
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'GET only');
  if (req.url === '/health') {
    const healthy = releaseFile('healthy');
    return healthy === undefined || healthy === 'ok' ? reply(200, 'ok') : reply(503, healthy || 'unhealthy');
  }
  if (req.url === '/config') {
    const config = readText(join(root, APP_CONFIG_DIR, APP_CONFIG_FILE));
    return config === undefined ? reply(500, `no ${APP_CONFIG_DIR}/${APP_CONFIG_FILE}`) : reply(200, config);
  }
  if (req.url === '/version') return version === undefined ? reply(500, 'no current/version') : reply(200, version);
  if (req.url === '/') return reply(200, `${name} ${version ?? '?'}`);
  return reply(404, 'not found');
});

const shutdown = (): void => {
  if (pidFile) rmSync(pidFile, { force: true });
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

server.listen({ host: address, port: Number(port) }, () => {
  // Written once listening: app-start waits for it to know the app is up.
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  process.stdout.write(`${name}: listening on ${address}:${port}, serving ${join(root, 'current')}\n`);
});
