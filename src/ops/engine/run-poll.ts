// A `poll` step: the same read-only command again and again on the host
// until its output shows the wanted service state (judged here, by the
// probe's own parser) or the deadline passes. A failed step says what the
// last reading saw. Reading changes nothing, so a timed-out poll is
// `failed`, never `unknown`.
import { serviceStateVerdict } from '../../probes/service-state.js';
import type { Transport } from '../../transport/types.js';
import type { AttemptResult } from './run-step.js';
import type { Step, StepSpec } from './plan.js';

const POLL_EVERY_MS = 1000;
const READ_TIMEOUT_MS = 10_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runPoll(step: Step, spec: Extract<StepSpec, { kind: 'poll' }>, transport: Transport, signal: AbortSignal): Promise<AttemptResult> {
  const started = Date.now();
  const deadline = started + spec.deadlineSeconds * 1000;
  let saw = 'nothing read yet';
  let readings = 0;
  for (;;) {
    const left = deadline - Date.now();
    try {
      const r = await transport.exec(spec.command, { timeoutMs: Math.max(1000, Math.min(READ_TIMEOUT_MS, left)), signal });
      readings += 1;
      const verdict = r.code === 0 ? serviceStateVerdict(spec.until, r.stdout) : { ok: false, detail: `the reading exited ${r.code ?? r.signal ?? 'without a code'}: ${(r.stderr || r.stdout).trim().slice(0, 300)}` };
      if (verdict.ok) return { outcome: 'ok', rc: 0, stdout: `${step.label}: ${verdict.detail}\n`, stderr: '', durationMs: Date.now() - started };
      saw = verdict.detail;
    } catch (err) {
      saw = `not read: ${(err as Error).message}`;
    }
    if (signal.aborted) return { outcome: 'cancelled', rc: null, stdout: '', stderr: `${saw}\n`, durationMs: Date.now() - started, error: 'cancelled' };
    if (Date.now() + POLL_EVERY_MS > deadline) break;
    await pause(POLL_EVERY_MS, signal);
  }
  const stderr = `service state not reached in ${spec.deadlineSeconds} s (${readings} readings): ${saw}\n`;
  return { outcome: 'failed', rc: 1, stdout: '', stderr, durationMs: Date.now() - started, error: stderr.trim() };
}
