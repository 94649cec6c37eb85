// Facts for the Pacemaker planner from captured output: crm_mon of the lab
// cluster (test/fixtures/pacemaker) and crm_simulate's predictions
// (capture-predictions.sh).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Inventory } from '../../../../src/inventory/types.js';
import { newActionId, type Plan } from '../../../../src/ops/engine/plan.js';
import type { Refusal } from '../../../../src/ops/engine/registry.js';
import { parsePacemakerArgs, type PacemakerVerb } from '../../../../src/ops/failover/pacemaker/pacemaker-args.js';
import { planPacemaker, type PacemakerFacts } from '../../../../src/ops/failover/pacemaker/pacemaker-plan.js';
import { parseSimulation } from '../../../../src/ops/failover/pacemaker/scheduler-prediction.js';
import type { PacemakerSnapshot } from '../../../../src/probes/pacemaker.js';
import { createBatonStore } from '../../../../src/store/store.js';
import { localHost } from '../failover-harness.js';

export const prediction = (name: string) => readFileSync(join(import.meta.dirname, '../../../fixtures/pacemaker/predictions', name), 'utf8');

export const CLUSTER = 'baton-lab';
const hosts = ['web1', 'web2', 'web3'].map((id) => localHost(id, { pacemaker: { cluster: CLUSTER } }));
export const inventory: Inventory = { name: 'lab', format: 'baton', file: 'lab.yaml', hosts, groups: {} };

export function facts(snapshot: PacemakerSnapshot, change?: string, cleared?: string): PacemakerFacts {
  return {
    clusters: { [CLUSTER]: ['web1', 'web2', 'web3'] },
    reads: { [CLUSTER]: { ok: true, host: 'web1', snapshot } },
    ...(change ? { prediction: { change: parseSimulation(prediction(change)), ...(cleared ? { cleared: parseSimulation(prediction(cleared)) } : {}) } } : {}),
  };
}

export function plan(verb: PacemakerVerb, argv: string[], f: PacemakerFacts, options: Record<string, unknown> = {}): Plan | Refusal {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const state = createBatonStore(inventory).getState();
  return planPacemaker({ state, inventory, now, who: { user: 'ops', host: 'test', pid: 1 }, newId: () => newActionId(now), facts: f }, parsePacemakerArgs(verb, argv, options));
}

export function planned(p: Plan | Refusal): Plan {
  if ('refused' in p) throw new Error(`refused: ${p.reason}`);
  return p;
}
