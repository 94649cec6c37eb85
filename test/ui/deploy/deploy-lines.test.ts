import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { parseDeploy } from '../../../src/ops/deploy/load-deploy.js';
import { planDeploy } from '../../../src/ops/deploy/plan-deploy.js';
import { summarize } from '../../../src/ops/engine/history.js';
import type { JournalRecord } from '../../../src/ops/engine/journal.js';
import { deployLines } from '../../../src/ui/deploy/deploy-lines.js';
import { hostSpec } from '../../store/fixtures.js';

const text = `name: web
targets: all
release: { fetch: "true" }
stages:
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch] }
  - { name: restart, command: "true", needs: [link] }
`;

describe('deploy pane lines', () => {
  it('shows the run, then per host its batch and each stage done, failed or not yet, with the ETA from the batches done', () => {
    const load = parseDeploy('web.yaml', text);
    if (!load.ok) throw new Error('bad file');
    const ids = ['web1', 'web2', 'web3'];
    const inventory: Inventory = { name: 't', format: 'baton', file: 't.yaml', hosts: ids.map((id) => hostSpec(id, { vars: { deploy_root: '/srv' } })), groups: {} };
    const plan = planDeploy({ spec: load.deploy, file: 'web.yaml', order: load.order, version: 'v2', targets: ids }, { current: {}, lbServers: {}, lbBackends: {}, lbProblems: [] }, inventory, 0, () => 'ID');
    if ('refused' in plan) throw new Error(plan.reason);
    const who = { user: 'ops', host: 'here', pid: 1 };
    const end = (step: string, outcome: 'ok' | 'failed', at: number): JournalRecord => ({ t: 'step-end', at, step, host: 'x', attempt: 1, outcome, rc: 0, durationMs: 1, stdout: '', stderr: '' });
    const records: JournalRecord[] = [
      { t: 'begin', v: 1, at: 0, who, plan },
      ...['fetch', 'link', 'restart', 'prune'].map((s) => end(`b0/web1/${s}`, 'ok', 1000)),
      end('b1/web2/fetch', 'ok', 2000),
      end('b1/web2/link', 'failed', 3000),
    ];
    const s = summarize('ID', 'j', records, [], () => true)!;
    const lines = deployLines(s, 10_000).map((l) => l.map((p) => p.text).join(''));
    expect(lines).toEqual([
      ' web v2 running · batch 1/3 · 10 s · ETA 20 s · ID',
      ' web1       b1 ✓fetch ✓link ✓restart ',
      ' web2       b2 ✓fetch ✗link ·restart ',
      ' web3       b3 ·fetch ·link ·restart ',
    ]);
  });
});
