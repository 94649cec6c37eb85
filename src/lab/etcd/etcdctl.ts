// Runs the real etcdctl (v3 API) against the lab's members. A non-zero exit
// is an answer, not an error: with a member down `endpoint status --cluster`
// exits 1 yet prints the JSON of the members that did answer.
import { execFile } from 'node:child_process';

export interface EtcdctlResult {
  /** null when etcdctl was killed (timeout or abort). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Short timeouts: a stopped member refuses at once on loopback, but gRPC
 * retries until the command timeout (5 s by default) before giving up on it.
 */
const TIMEOUT_FLAGS = ['--dial-timeout=500ms', '--command-timeout=1500ms'];
/** Backstop in case etcdctl itself hangs. */
const KILL_AFTER_MS = 10_000;

export function etcdctl(endpoints: readonly string[], args: readonly string[], signal?: AbortSignal): Promise<EtcdctlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'etcdctl',
      [`--endpoints=${endpoints.join(',')}`, ...TIMEOUT_FLAGS, ...args],
      { encoding: 'utf8', timeout: KILL_AFTER_MS, signal, env: { ...process.env, ETCDCTL_API: '3' } },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number' && !err.killed) {
          reject(new Error(`cannot run etcdctl: ${err.message}`, { cause: err }));
          return;
        }
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
      },
    );
  });
}
