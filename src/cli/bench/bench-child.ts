// Bench phases that measure the console run it in a process of its own, as
// an operator runs it: a hidden `baton bench-*` command that prints its
// progress and, last, its figures as JSON lines on stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Runs `baton <args>` and resolves with the JSON of the last line it printed.
 * `onLine` sees every line as it comes (with the child, to stop it).
 */
export function runBenchChild<T>(args: string[], onLine?: (line: string, child: ChildProcess) => void): Promise<T> {
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    last = line;
    onLine?.(line, child);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`baton ${args[0]} ended with ${signal ?? `exit code ${code}`}: ${last}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`baton ${args[0]} printed no figures: ${last.slice(0, 200)}`));
      }
    });
  });
}

/** Child side: Ink and chalk read these at import, so set them before the console is imported. */
export function consoleChildEnvironment(): void {
  // Ink writes nothing when it believes it runs in CI, React's development
  // build is slower, colours are bytes too.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV = 'production';
  process.env.FORCE_COLOR = '1';
}
