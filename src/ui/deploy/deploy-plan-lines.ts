// A deploy plan as the confirm dialog shows it above the usual plan: the
// batches in order, and in each, stage by stage, what every host runs (the
// steps on its LBs and here included). Pure.
import type { DeployMeta } from '../../ops/deploy/plan-deploy.js';
import type { Plan } from '../../ops/engine/plan.js';
import type { Line } from '../widgets/styled-lines.js';

export function deployPlanLines(plan: Plan): Line[] {
  const meta = plan.args.deploy as DeployMeta;
  const width = Math.max(4, ...meta.stages.map((s) => s.name.length));
  const lines: Line[] = [];
  meta.batches.forEach((batch, b) => {
    lines.push([{ text: ` batch ${b + 1}/${meta.batches.length}: `, token: 'focus' }, { text: batch.join(', '), token: 'text' }]);
    for (const stage of [...meta.stages.map((s) => s.name), 'prune']) {
      const steps = plan.steps.filter((s) => meta.places[s.id]?.batch === b && meta.places[s.id]?.stage === stage);
      for (const host of [...new Set(steps.map((s) => meta.places[s.id]!.target))]) {
        const mine = steps.filter((s) => meta.places[s.id]!.target === host);
        const where = (hostId: string) => (hostId === host ? '' : `${hostId}: `);
        lines.push([
          { text: `   ${stage.padEnd(width)} `, token: 'muted' },
          { text: `${host === '*' ? 'once' : host} `, token: 'text' },
          { text: mine.map((s) => `${where(s.hostId)}${s.label.split('\n')[0]}`).join(' · '), token: 'muted' },
        ]);
      }
    }
  });
  return lines;
}
