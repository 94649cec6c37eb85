// The Alerts pane's keys on a real Prometheus and Alertmanager (Debian's,
// on 127.0.18.2, started here): m on a firing alert plans
// alertmanager.silence into the confirm dialog, y runs it through the
// engine (curl on the host, verify by re-reading /api/v2/silences), the
// alert shows silenced; u plans alertmanager.expire of that silence, y runs
// it, the alert fires again. The host is this machine (LocalTransport).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planServices } from '../../../src/monitor/service-plan.js';
import { builtinActions } from '../../../src/ops/builtin-actions.js';
import { createLockManager } from '../../../src/ops/engine/locks/create-lock-manager.js';
import { alertRows } from '../../../src/store/alerts.js';
import { createBatonStore, type BatonStore } from '../../../src/store/store.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { Transport } from '../../../src/transport/types.js';
import { ActionService } from '../../../src/ui/actions/action-service.js';
import { httpGet } from '../../../src/lab/http-get.js';
import { waitFor } from '../../helpers/wait-for.js';
import { inventory, spec } from '../../ui/fixtures.js';
import { mount, screen, tick, type Mounted } from '../../ui/render-app.js';

const ADDR = '127.0.18.2';
const AM = `http://${ADDR}:19193`;
const PROM = `http://${ADDR}:19190`;
const work = mkdtempSync(join(tmpdir(), 'baton-alerts-console-'));
const daemons: ChildProcess[] = [];
let store: BatonStore;
let service: ActionService;
let transports: Map<string, Transport>;
let m: Mounted | undefined;
let stopReading = false;
let reading: Promise<void> | undefined;

function start(command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'ignore' });
  daemons.push(child);
}

beforeAll(async () => {
  writeFileSync(join(work, 'rules.yml'), 'groups:\n  - name: t\n    rules:\n      - alert: Watchdog\n        expr: vector(1)\n        labels: { severity: warning }\n        annotations: { summary: "always firing" }\n');
  writeFileSync(join(work, 'prometheus.yml'), `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: ["${join(work, 'rules.yml')}"]\nalerting:\n  alertmanagers: [{ static_configs: [{ targets: ["${ADDR}:19193"] }] }]\n`);
  writeFileSync(join(work, 'am.yml'), 'route: { receiver: none, group_wait: 1s }\nreceivers: [{ name: none }]\n');
  start('prometheus-alertmanager', [`--config.file=${join(work, 'am.yml')}`, `--storage.path=${join(work, 'am')}`, `--web.listen-address=${ADDR}:19193`, '--cluster.listen-address=']);
  // Prometheus learns its Alertmanager about 5 s after starting (its discovery's batching); an alert
  // fired before that is sent again only after the resend delay, 1 min by default.
  start('prometheus', [`--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${join(work, 'prom')}`, `--web.listen-address=${ADDR}:19190`, '--rules.alert.resend-delay=1s']);
  const deadline = Date.now() + 20_000;
  while (!(await httpGet(`${AM}/api/v2/alerts`, 500))?.body.includes('Watchdog')) {
    if (Date.now() > deadline) throw new Error('Alertmanager did not get the Watchdog alert within 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const mon = { ...spec('mon1', ['mon']), transport: 'local' as const, address: '127.0.0.1', roles: { alertmanager: { url: AM }, prometheus: { url: PROM } } };
  const inv = inventory([mon]);
  const probes = planServices(inv);
  store = createBatonStore(inv, { services: probes });
  store.getState().applyUpdates([{ hostId: 'mon1', kind: 'conn', conn: 'up', at: Date.now() }]);
  transports = new Map<string, Transport>([['mon1', new LocalTransport('mon1')]]);
  await transports.get('mon1')!.connect();
  // The monitor's part: the probe, read every 300 ms over the host's transport.
  const probe = probes.find((p) => p.kind === 'alerts')!;
  reading = (async () => {
    while (!stopReading) {
      const r = await transports.get('mon1')!.exec(probe.command('mon1'), { timeoutMs: 5000 }).catch(() => ({ stdout: '' }));
      const parsed = probe.parse(r.stdout, Date.now());
      if (parsed.kind === 'snapshot') store.getState().applyServiceUpdates([{ kind: 'alerts', key: 'mon1', type: 'snapshot', at: Date.now(), answeredBy: 'mon1', snapshot: parsed.snapshot, alerts: probe.alerts(parsed.snapshot) }], []);
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
  await waitFor(() => alertRows(store.getState()).some((r) => r.name === 'Watchdog' && r.state === 'firing'), 5000, 'Watchdog firing in the store');
  service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(work, 'journal') });
  m = mount(store, { actions: service, clock: Date.now, viewName: 'alerts', size: { columns: 120, rows: 40 } });
}, 40_000);

afterAll(async () => {
  try {
    m?.unmount();
    stopReading = true;
    await reading;
    await service?.settled();
    await Promise.all([...(transports?.values() ?? [])].map((t) => t.close()));
  } finally {
    for (const d of daemons) d.kill('SIGKILL');
    await Promise.all(daemons.map((d) => (d.exitCode !== null || d.signalCode !== null ? undefined : new Promise((r) => d.once('exit', r)))));
    rmSync(work, { recursive: true, force: true });
  }
});

const watchdog = () => alertRows(store.getState()).find((r) => r.name === 'Watchdog' && r.source === 'alertmanager');

describe('the Alerts pane keys on a real Alertmanager', () => {
  it('shows the key line; m plans the silence into the confirm dialog, y runs and verifies it', async () => {
    await waitFor(() => screen(m!).includes('Watchdog'), 3000, 'Watchdog on screen');
    expect(screen(m!)).toContain('m silence');
    m!.stdin.write('j');
    await tick();
    m!.stdin.write('m');
    await waitFor(() => screen(m!).includes('alertmanager silence Watchdog for 120 min'), 5000, 'the silence plan in the confirm dialog');
    m!.stdin.write('y');
    await tick(100);
    await service.settled();
    expect(service.progress.getState().actions.find((a) => a.action === 'alertmanager.silence')).toMatchObject({ state: 'ok' });
    await waitFor(() => watchdog()?.state === 'silenced', 3000, 'Watchdog silenced');
  }, 20_000);

  it('u plans the expiry of the silence holding it; y runs it and the alert fires again', async () => {
    const id = watchdog()!.silencedBy[0]!;
    // y showed the Actions view: W jumps back to the Alerts pane.
    for (const key of ['W', 'g', 'j']) {
      m!.stdin.write(key);
      await tick();
    }
    await waitFor(() => /> .*\[silenced\]/.test(screen(m!)), 3000, 'the cursor on the silenced alert');
    m!.stdin.write('u');
    await waitFor(() => screen(m!).includes(`alertmanager expire silence ${id.slice(0, 8)}`), 5000, 'the expire plan in the confirm dialog');
    m!.stdin.write('y');
    await tick(100);
    await service.settled();
    expect(service.progress.getState().actions.find((a) => a.action === 'alertmanager.expire')).toMatchObject({ state: 'ok' });
    await waitFor(() => watchdog()?.state === 'firing', 3000, 'Watchdog firing again');
  }, 20_000);
});
