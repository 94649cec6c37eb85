// The Deploy pane's live LB traffic per host, from two real `show stat`
// captures of a haproxy 2.6 under traffic (capture-traffic.sh: web2 a canary
// at weight 22 answering every third request with 500, web3 drained), fed
// through the store as the monitor feeds it, 5 s apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Inventory } from '../../../src/inventory/types.js';
import { parseDeploy } from '../../../src/ops/deploy/load-deploy.js';
import { planDeploy } from '../../../src/ops/deploy/plan-deploy.js';
import { journalDir, summarize } from '../../../src/ops/engine/history.js';
import { JournalWriter } from '../../../src/ops/engine/journal.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { deployLines } from '../../../src/ui/deploy/deploy-lines.js';
import { addSamples, hostTraffic, trafficParts, type TrafficHistory } from '../../../src/ui/deploy/deploy-traffic.js';
import { hostSpec } from '../../store/fixtures.js';
import { T0 } from '../fixtures.js';
import { mount, screen, tick } from '../render-app.js';
import { haproxyUpdate, serviceStore, type ServiceDecl } from '../service-fixtures.js';

const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const ids = ['web1', 'web2', 'web3'];
let state = '';
const saved = process.env.XDG_STATE_HOME;

beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), 'baton-deploy-traffic-'));
  process.env.XDG_STATE_HOME = state;
});
afterEach(cleanup);
afterAll(() => {
  if (saved === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = saved;
  rmSync(state, { recursive: true, force: true });
});

function plan(): Plan {
  const load = parseDeploy('web.yaml', 'name: web\ntargets: all\nrelease: { fetch: "true" }\nstages:\n  - { name: fetch, builtin: upload }\n  - { name: link, builtin: link, needs: [fetch] }\n');
  if (!load.ok) throw new Error('bad file');
  const inventory: Inventory = { name: 't', format: 'baton', file: 't.yaml', hosts: ids.map((id) => hostSpec(id, { vars: { deploy_root: '/srv' } })), groups: {} };
  const p = planDeploy({ spec: load.deploy, file: 'web.yaml', order: load.order, version: 'v2', targets: ids }, { current: {}, lbServers: {}, lbBackends: {}, lbProblems: [] }, inventory, T0, () => 'ID');
  if ('refused' in p) throw new Error(p.reason);
  return p;
}

/** The history after each capture, as the pane keeps it. */
function fed(...captures: Array<[csv: string, at: number]>): TrafficHistory {
  const store = serviceStore([LB]);
  let history: TrafficHistory = new Map();
  for (const [csv, at] of captures) {
    store.getState().applyServiceUpdates([haproxyUpdate(LB, csv, at)], []);
    history = addSamples(history, store.getState().services);
  }
  return history;
}

const text = (parts: ReturnType<typeof trafficParts>) => parts.map((p) => p.text).join('');

describe('deploy pane traffic', () => {
  test('requests and 5xx per second per server from the counters of two refreshes, with the weight and a state not UP', () => {
    const h = fed(['show-stat-traffic-1.csv', T0], ['show-stat-traffic-2.csv', T0 + 5000]);
    // web1: 164 -> 364 requests; web2: 36 -> 80, 12 -> 27 5xx; over 5 s.
    expect(hostTraffic(h, 'web1')).toEqual([{ lb: 'lb01', backend: 'app', requests: 40, errors: 0, weight: 100, state: 'UP' }]);
    expect(text(trafficParts(hostTraffic(h, 'web2')))).toBe(' lb01 8.8 req/s 3.0 5xx/s w22');
    expect(trafficParts(hostTraffic(h, 'web2')).find((p) => p.text.includes('5xx'))?.token).toBe('crit');
    expect(text(trafficParts(hostTraffic(h, 'web3')))).toBe(' lb01 0.0 req/s 0.0 5xx/s w100 DRAIN');
    expect(hostTraffic(h, 'db1')).toEqual([]);
  });

  test('one refresh has no rate yet; a counter that went down (HAProxy restarted) starts the window again', () => {
    expect(text(trafficParts(hostTraffic(fed(['show-stat-traffic-2.csv', T0]), 'web2')))).toBe(' lb01 … req/s … 5xx/s w22');
    const restarted = fed(['show-stat-traffic-1.csv', T0], ['show-stat-traffic-2.csv', T0 + 5000], ['show-stat-traffic-1.csv', T0 + 10_000]);
    expect(hostTraffic(restarted, 'web2')[0]?.requests).toBeNull();
    // The same snapshot twice is one refresh, not two.
    expect(fed(['show-stat-traffic-1.csv', T0], ['show-stat-traffic-1.csv', T0]).get('lb01')).toHaveLength(1);
  });

  test('beside each host row of the pane', async () => {
    const p = plan();
    const journal = await JournalWriter.open(journalDir(), p.id);
    // Begun now: the pane looks back a week.
    await journal.append({ t: 'begin', v: 1, at: Date.now(), who: { user: 'ops', host: 'here', pid: process.pid }, plan: p });
    await journal.close();
    const store = serviceStore([LB]);
    store.getState().applyServiceUpdates([haproxyUpdate(LB, 'show-stat-traffic-1.csv', T0)], []);
    const m = mount(store, { viewName: 'deploy', size: { columns: 140, rows: 40 } });
    await tick(200);
    store.getState().applyServiceUpdates([haproxyUpdate(LB, 'show-stat-traffic-2.csv', T0 + 5000)], []);
    await tick(100);
    const s = screen(m);
    expect(s).toMatch(/web2\s+b2 ·fetch ·link\s+lb01 8\.8 req\/s 3\.0 5xx\/s w22/);
    expect(s).toMatch(/web3\s+b3 ·fetch ·link\s+lb01 0\.0 req\/s 0\.0 5xx\/s w100 DRAIN/);
    // The same lines, pure.
    const summary = summarize('ID', 'j', [{ t: 'begin', v: 1, at: T0, who: { user: 'ops', host: 'here', pid: process.pid }, plan: p }], [], () => true)!;
    const h = fed(['show-stat-traffic-1.csv', T0], ['show-stat-traffic-2.csv', T0 + 5000]);
    const lines = deployLines(summary, T0 + 6000, { traffic: new Map(ids.map((id) => [id, trafficParts(hostTraffic(h, id))])) }).map((l) => l.map((x) => x.text).join(''));
    expect(lines[1]).toBe(' web1       b1 ·fetch ·link  lb01 40.0 req/s 0.0 5xx/s w100');
  });
});
