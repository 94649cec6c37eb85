// What the CLI prints for an action: the plan before it runs, one line per
// host as it finishes (like `pssh -i`), then the output grouped like
// `clush -b`, and the JSON forms.
import type { ActionResult } from '../ops/engine/execute.js';
import { confirmLevel, confirmWord, type Plan } from '../ops/engine/plan.js';
import type { StepResult } from '../ops/engine/runner.js';
import { exitSummary, groupOutputs, type HostOutput } from '../ops/exec/output-groups.js';

export function planText(plan: Plan): string {
  const lines = [`Plan ${plan.id}: ${plan.title}`, `  targets (${plan.targets.length}): ${plan.targets.join(' ')}`];
  if (plan.locks.length > 0) lines.push(`  locks: ${plan.locks.join(' ')}`);
  if (plan.changes.length > 0) {
    lines.push('  changes:');
    for (const c of plan.changes.slice(0, 50)) lines.push(`    ${c.target}  ${c.what}: ${c.before} -> ${c.after}`);
    if (plan.changes.length > 50) lines.push(`    ... and ${plan.changes.length - 50} more`);
  }
  const failing = plan.preconditions.filter((p) => !p.ok);
  if (failing.length > 0) lines.push(`  preconditions not met: ${failing.map((p) => `${p.what} (${p.detail ?? 'no'})`).join('; ')}`);
  lines.push(`  steps: ${plan.steps.length} (at most ${plan.concurrency} at once, strategy ${plan.completion}, on failure ${plan.failurePolicy})`);
  lines.push(`  undo: ${plan.undo.length > 0 ? plan.undo.map((u) => `${u.hostId}: ${u.label}`).slice(0, 3).join('; ') + (plan.undo.length > 3 ? ` (+${plan.undo.length - 3})` : '') : 'none'}`);
  lines.push(`  verify: ${plan.verify}`);
  for (const r of plan.risk.reasons) lines.push(`  risk: ${r}`);
  lines.push(`  confirm: ${confirmLevel(plan) === 'typed' ? `type "${confirmWord(plan)}"` : 'y'}`);
  return lines.join('\n') + '\n';
}

const time = (at: number) => new Date(at).toTimeString().slice(0, 8);

/** `[3/20] 12:03:01 ok     web03 rc 0 (0.12 s)`: one line as each host settles. */
export function liveLine(r: StepResult, done: number, total: number, at = Date.now()): string {
  const rc = r.rc === null ? '' : ` rc ${r.rc}`;
  const why = r.outcome === 'ok' || !r.error ? '' : `: ${r.error}`;
  return `[${done}/${total}] ${time(at)} ${r.outcome.padEnd(9)} ${r.hostId}${rc} (${(r.durationMs / 1000).toFixed(2)} s)${why}\n`;
}

export function hostOutputs(result: ActionResult): HostOutput[] {
  return result.run.results.map((r) => ({ host: r.hostId, outcome: r.outcome, rc: r.rc, stdout: r.stdout, stderr: r.stderr, error: r.outcome === 'ok' ? undefined : r.error }));
}

/** Identical output and status once, under a folded nodeset; then the exit codes and the verdict. */
export function groupedText(result: ActionResult): string {
  const out: string[] = [];
  const outputs = hostOutputs(result);
  for (const g of groupOutputs(outputs)) {
    const status = g.rc !== null && (g.outcome === 'ok' || g.outcome === 'failed') ? `rc ${g.rc}` : g.outcome;
    out.push('-'.repeat(15), `${g.nodeset} (${g.hosts.length}: ${status}${g.error ? `, ${g.error}` : ''})`, '-'.repeat(15));
    if (g.stdout) out.push(g.stdout.replace(/\n$/, ''));
    if (g.stderr) out.push(g.stderr.replace(/\n$/, '').replace(/^/gm, 'stderr: '));
  }
  for (const u of result.run.undo) out.push(`undo ${u.hostId}: ${u.outcome}${u.error && u.outcome !== 'ok' ? ` (${u.error})` : ''}`);
  if (result.run.aborted) out.push(`aborted: killed ${result.run.aborted.killed.join(' ') || 'none'}; let finish ${result.run.aborted.finished.join(' ') || 'none'}`);
  out.push(`exit codes: ${exitSummary(outputs)}`);
  out.push(`${result.plan.action} ${result.plan.id}: ${result.state} (${result.verify.detail})`);
  return out.join('\n') + '\n';
}

/** The documented `--json` object. */
export function resultJson(result: ActionResult): Record<string, unknown> {
  return {
    id: result.plan.id,
    action: result.plan.action,
    strategy: result.plan.completion,
    outcome: result.verify.outcome,
    state: result.state,
    verify: result.verify.detail,
    journal: result.journal,
    hosts: result.run.results.map((r) => ({ host: r.hostId, step: r.stepId, rc: r.rc, stdout: r.stdout, stderr: r.stderr, durationMs: Math.round(r.durationMs), state: r.outcome, error: r.outcome === 'ok' ? null : (r.error ?? null) })),
    undo: result.run.undo.map((r) => ({ host: r.hostId, rc: r.rc, state: r.outcome, error: r.error ?? null })),
  };
}
