// A throwaway redis-server on a test's own loopback address: no persistence,
// its directory removed on stop, and redis-cli against it for setting up.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether redis-server and redis-cli are installed (test/install-deps.sh puts them in CI). */
export const redisAvailable = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

export interface TestRedis {
  /** redis-cli against it; its trimmed stdout. */
  cli(...args: string[]): string;
  stop(): void;
}

/** Starts it and waits (5 s at most) until it answers PING. */
export async function startTestRedis(host: string, port: number): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-test-redis-'));
  const server = spawn('redis-server', ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const cli = (...args: string[]) => spawnSync('redis-cli', ['-h', host, '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();
  const stop = () => {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; cli('PING') !== 'PONG'; i++) {
    if (i > 100) {
      stop();
      throw new Error(`redis-server on ${host}:${port} did not start`);
    }
    await sleep(50);
  }
  return { cli, stop };
}
