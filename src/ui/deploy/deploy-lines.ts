// The Deploy pane's lines from a deploy's journal: the run (deploy, release,
// state, batches done, elapsed and ETA; why it paused; where each host
// ended), then one line per host: its batch, each stage (done, failed, not
// yet), the canary analyses' readings and its live LB traffic. Pure.
import type { ActionSummary } from '../../ops/engine/history.js';
import type { DeployMeta } from '../../ops/deploy/plan-deploy.js';
import { pausedReason } from '../../ops/deploy/deploy-requests.js';
import type { Line, Part } from '../widgets/styled-lines.js';

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

type StageMark = 'ok' | 'failed' | 'pending';

/** A host's stages in the batch it is in: ok when every step ended ok, failed when one did not. */
function stageMarks(s: ActionSummary, meta: DeployMeta, host: string): Array<[string, StageMark]> {
  return meta.stages.map((stage) => {
    const ids = s.plan.steps.filter((st) => meta.places[st.id]?.stage === stage.name && (meta.places[st.id]?.target === host || meta.places[st.id]?.target === '*') && meta.batches[meta.places[st.id]!.batch]?.includes(host)).map((st) => st.id);
    const ends = ids.map((id) => s.steps.get(id));
    if (ends.some((e) => e && e.outcome !== 'ok')) return [stage.name, 'failed'];
    return [stage.name, ids.length > 0 && ends.every((e) => e?.outcome === 'ok') ? 'ok' : 'pending'];
  });
}

/** The last analysis reading journaled for a host's canary steps. */
function reading(s: ActionSummary, meta: DeployMeta, host: string): string | undefined {
  const ends = s.plan.steps.filter((st) => meta.places[st.id]?.analysis && meta.places[st.id]?.target === host).map((st) => s.steps.get(st.id)).filter((e) => e !== undefined);
  const last = ends.at(-1);
  return last && `${last.stdout.trim().split('\n').at(-1) ?? ''}${last.outcome === 'ok' ? '' : ` (${last.stderr.trim().split('\n').at(-1) ?? last.outcome})`}`;
}

export interface DeployExtras {
  /** What the operator asked of this console's run and it has not done yet ("pausing at the batch boundary"). */
  asked?: string;
  /** Per host: its live LB traffic, already worded (deploy-traffic.ts). */
  traffic?: ReadonlyMap<string, Part[]>;
}

export function deployLines(s: ActionSummary, now: number, extras: DeployExtras = {}): Line[] {
  const meta = s.plan.args.deploy as DeployMeta;
  const done = (b: string[]) => b.every((h) => stageMarks(s, meta, h).every(([, m]) => m === 'ok'));
  const batchesDone = meta.batches.filter(done).length;
  const elapsed = (s.endedAt ?? now) - s.startedAt;
  const eta = s.state === 'running' && batchesDone > 0 ? ` · ETA ${seconds((elapsed / batchesDone) * (meta.batches.length - batchesDone))}` : '';
  const paused = s.state === 'failed' ? pausedReason(s.notes) : undefined;
  const stateToken = s.state === 'ok' ? 'ok' : s.state === 'running' || paused ? 'warn' : 'crit';
  const lines: Line[] = [
    [
      { text: ` ${meta.name} ${meta.version} ` },
      { text: paused ? 'paused' : s.state, token: stateToken },
      { text: ` · batch ${batchesDone}/${meta.batches.length} · ${seconds(elapsed)}${eta} · ${s.id}`, token: 'muted' },
      ...(extras.asked ? [{ text: ` · ${extras.asked}`, token: 'warn' as const }] : []),
    ],
  ];
  if (paused) lines.push([{ text: ` paused ${paused} · p resumes, u rolls back`, token: 'warn' }]);
  else if (s.state === 'interrupted') lines.push([{ text: ' interrupted (its process is gone): p resumes, u rolls back', token: 'crit' }]);
  if (s.verify && s.state !== 'running') lines.push([{ text: ` ended: ${s.verify.detail}`, token: s.verify.outcome === 'ok' ? 'muted' : 'warn' }]);
  meta.batches.forEach((batch, b) => {
    for (const host of batch) {
      const parts: Part[] = [{ text: ` ${host.padEnd(10)} b${b + 1} ` }];
      for (const [name, mark] of stageMarks(s, meta, host)) parts.push({ text: `${mark === 'ok' ? '✓' : mark === 'failed' ? '✗' : '·'}${name} `, token: mark === 'ok' ? 'ok' : mark === 'failed' ? 'crit' : 'muted' });
      const r = reading(s, meta, host);
      parts.push(...(extras.traffic?.get(host) ?? []));
      if (r) parts.push({ text: ` ${r}`, token: 'muted' });
      lines.push(parts);
    }
  });
  return lines;
}
