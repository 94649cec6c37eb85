// One attempt of one step on its host's transport, classified into the
// three outcomes: a step refused before it was sent (host unreachable) is
// `failed`; one that timed out or lost its connection after it was sent is
// `unknown` (it may have taken effect); one we killed ourselves is `cancelled`.
import { TransportError, type CommandResult, type Transport } from '../../transport/types.js';
import type { Step, StepOutcome } from './plan.js';
import { runPoll } from './run-poll.js';

export interface AttemptResult {
  outcome: StepOutcome;
  rc: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  error?: string;
}

function fromCommand(step: Step, r: CommandResult, cancelled: boolean): AttemptResult {
  const base = { rc: r.code, stdout: r.stdout, stderr: r.stderr, durationMs: r.durationMs };
  if (cancelled) return { ...base, outcome: 'cancelled', error: 'killed on the host: the outcome was already known or the action was aborted' };
  if (r.timedOut) return { ...base, outcome: 'unknown', error: `timed out after ${step.timeoutMs / 1000} s and killed on the host; it may have taken effect` };
  if (r.code === null && r.signal === undefined) return { ...base, outcome: 'unknown', error: 'connection lost after the command was sent; it may have taken effect' };
  if (r.code === 0) return { ...base, outcome: 'ok' };
  return { ...base, outcome: 'failed', error: r.code === null ? `killed by signal ${r.signal}` : `exit code ${r.code}` };
}

export async function runStepOnce(step: Step, transport: Transport | undefined, signal: AbortSignal): Promise<AttemptResult> {
  const started = Date.now();
  const failed = (error: string, outcome: StepOutcome = 'failed'): AttemptResult => ({ outcome, rc: null, stdout: '', stderr: '', durationMs: Date.now() - started, error });
  if (!transport) return failed(`${step.hostId}: no transport for this host`);
  try {
    await transport.connect();
  } catch (err) {
    return failed(`not sent: ${(err as Error).message}`);
  }
  if (signal.aborted) return failed('cancelled before it was sent', 'cancelled');
  const spec = step.spec;
  if (spec.kind === 'command') {
    let result: CommandResult;
    try {
      result = await transport.exec(spec.command, { timeoutMs: step.timeoutMs, signal });
    } catch (err) {
      // exec rejects only before the command is on the wire (no connection, no channel).
      return failed(`not sent: ${(err as Error).message}`);
    }
    return fromCommand(step, result, signal.aborted);
  }
  if (spec.kind === 'poll') return runPoll(step, spec, transport, signal);
  const sentBefore = transport.state === 'up';
  try {
    const r =
      spec.kind === 'upload'
        ? await transport.upload(spec.localPath, spec.remotePath, { mode: spec.mode, backupPath: spec.backupPath, timeoutMs: step.timeoutMs })
        : await transport.download(spec.remotePath, spec.localPath, { timeoutMs: step.timeoutMs });
    return { outcome: 'ok', rc: 0, stdout: '', stderr: '', durationMs: r.durationMs };
  } catch (err) {
    const lost = (err instanceof TransportError && err.state === 'timed-out') || (sentBefore && transport.state !== 'up');
    return failed((err as Error).message, lost && spec.kind === 'upload' ? 'unknown' : 'failed');
  }
}
