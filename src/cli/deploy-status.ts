// `baton deploy status`: the journal's deploy runs, the latest of each deploy
// first; an interrupted or paused one says how to resume it or roll it back.
import { journalDir, listActions, type ActionSummary } from '../ops/engine/history.js';
import type { DeployMeta } from '../ops/deploy/plan-deploy.js';
import { pausedReason } from '../ops/deploy/deploy-requests.js';
import { EXIT } from './run-action.js';
import { textTable } from './text-table.js';

const NEXT = new Set(['interrupted', 'failed', 'unknown']);

function row(s: ActionSummary) {
  const meta = s.plan.args.deploy as DeployMeta;
  const next = NEXT.has(s.state) ? `baton resume ${s.id} | baton deploy rollback ${meta.file}${Object.values(meta.previous)[0] ? ` --to ${Object.values(meta.previous)[0]}` : ''}` : '';
  // A run the operator (or an inconclusive analysis) paused ends `failed` in the journal, its notes say why.
  const paused = s.state === 'failed' ? (pausedReason(s.notes) ?? null) : null;
  return { id: s.id, deploy: meta.name, version: meta.version, state: s.state, paused, hostsDone: s.hostsDone, targets: s.plan.targets, batches: meta.batches, startedAt: s.startedAt, endedAt: s.endedAt ?? null, verify: s.verify?.detail ?? null, next };
}

export async function deployStatus(json: boolean): Promise<number> {
  const runs = (await listActions(journalDir())).filter((s) => s.plan.action === 'deploy' && s.plan.args.deploy);
  const latest = new Map<string, ActionSummary>();
  for (const s of runs) latest.set((s.plan.args.deploy as DeployMeta).name, s);
  const rows = [...latest.values()].reverse().map(row);
  if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else if (rows.length === 0) process.stdout.write('no deploy has run (baton deploy list shows the deploy files)\n');
  else {
    process.stdout.write(textTable(['DEPLOY', 'VERSION', 'STATE', 'DONE', 'ID'], rows.map((r) => [r.deploy, r.version, r.paused ? 'paused' : r.state, `${r.hostsDone.length}/${r.targets.length}`, r.id])));
    for (const r of rows.filter((x) => x.next)) process.stdout.write(`${r.deploy} ${r.paused ? `paused ${r.paused}` : r.state}: ${r.next}\n`);
  }
  return EXIT.ok;
}
