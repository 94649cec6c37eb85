// Drill figures for `baton bench`: the shipped lab drills 1-3 (Pacemaker
// node, web app, etcd leader) run as `baton drill run` runs them, while a
// watcher asks the real tool itself every 100 ms (crm_mon on every node over
// a warm OpenSSH ControlMaster, `show stat` over socat, `etcdctl endpoint
// status`) for the first moment it shows the change: the truth. baton's lag
// is its detection (the drill's first event) minus that moment.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { computeFigures } from '../../ops/drills/drill-figures.js';
import { DrillControl, runDrill } from '../../ops/drills/drill-runner.js';
import { loadDrillFile } from '../../ops/drills/load-drill.js';
import { journalDir } from '../../ops/engine/history.js';
import { currentOperator } from '../../ops/engine/operator.js';
import { newActionId } from '../../ops/engine/plan.js';
import { isRefusal } from '../../ops/engine/registry.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe } from '../../probes/pacemaker.js';
import { PACKAGE_ROOT } from '../../ui/config/paths.js';
import { cliRegistry } from '../action-registry-cli.js';
import { lockManagerFor } from '../action-session.js';
import type { GlobalOptions } from '../options.js';
import type { Session } from '../session.js';
import { socat, sshTo, withBenchLab } from './bench-lab.js';

const run = promisify(execFile);
const WATCH_MS = 100;
const nowMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DrillBenchFigure {
  drill: string;
  /** baton's detection minus the truth, per sample (ms); null when either never came. */
  lagMs: (number | null)[];
  /** The truth: injection to the tool showing it (ms). */
  truthMs: (number | null)[];
  detectionMs: (number | null)[];
}

/** Polls `changed` every WATCH_MS from now until stopped; remembers every moment it said true. */
function watcher(changed: () => Promise<boolean>): { stop(): Promise<number[]> } {
  const seen: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const asked = nowMs();
      if (await changed().catch(() => false)) seen.push(asked);
      await sleep(WATCH_MS);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

/** What "changed" means for each drill, asked of the tool itself. */
function truthOf(drill: string, session: Session, dir: string, knownHosts: string): () => Promise<boolean> {
  if (drill === 'lab-pacemaker-node') {
    // Any node's own crm_mon saying a node is not online; a crashed node's sshd is gone with it.
    const nodes = session.inventory.hosts.filter((h) => h.roles.pacemaker).map((h) => sshTo(h, knownHosts, dir, 2000));
    return async () => {
      const views = await Promise.allSettled(nodes.map(async (ssh) => parsePacemakerProbe(await ssh(PACEMAKER_PROBE_COMMAND))));
      return views.some((v) => v.status === 'fulfilled' && v.value.kind === 'snapshot' && v.value.snapshot.nodes.some((n) => !n.online));
    };
  }
  if (drill === 'lab-web-app') {
    const socket = join(dir, 'haproxy', 'admin.sock');
    return async () => {
      const row = (await socat(socket, 'show stat')).split('\n').find((l) => l.startsWith('web,web2,'));
      return row !== undefined && !row.split(',')[17]!.startsWith('UP');
    };
  }
  const endpoints = session.inventory.hosts.flatMap((h) => (h.roles.etcd ? [h.roles.etcd.endpoint] : []));
  // A member that stops answering endpoint status (the killed leader).
  return async () => {
    const r = await run('etcdctl', ['--dial-timeout=300ms', '--command-timeout=500ms', '--endpoints', endpoints.join(','), 'endpoint', 'status', '-w', 'json'], { env: { ...process.env, ETCDCTL_API: '3' }, timeout: 2000 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const answered = (JSON.parse(r.stdout || '[]') as unknown[]).length;
    return answered < endpoints.length;
  };
}

export async function measureDrills(sessionOptions: (inventory: string) => GlobalOptions, samples: number, log: (line: string) => void): Promise<DrillBenchFigure[]> {
  return withBenchLab(
    'drills',
    sessionOptions,
    async ({ dir, files, options, session }) => {
      const knownHosts = options.knownHosts ?? join(dir, 'known_hosts');
      const figures: DrillBenchFigure[] = [];
      for (const name of ['lab-pacemaker-node', 'lab-web-app', 'lab-etcd-leader']) {
        const load = loadDrillFile(join(PACKAGE_ROOT, 'drills', `${name}.yaml`));
        if (!load.ok) throw new Error(`bench invalid: ${load.file}: ${load.errors.map((e) => e.message).join('; ')}`);
        log(`drills: ${name}, ${samples} runs...`);
        const figure: DrillBenchFigure = { drill: name, lagMs: [], truthMs: [], detectionMs: [] };
        for (let i = 0; i < samples; i++) {
          const truth = watcher(truthOf(name, session, dir, knownHosts));
          const deps = { store: session.store, inventory: session.inventory, transports: session.transports, registry: cliRegistry(options.inventory), locks: lockManagerFor(session), journalDir: journalDir(), who: currentOperator(), labSocket: files.control, log: () => undefined };
          const result = await runDrill(load.drill, load.file, newActionId(Date.now()), deps, new DrillControl());
          const seen = await truth.stop();
          if (isRefusal(result)) throw new Error(`bench invalid: ${name} refused: ${result.reason}`);
          const f = computeFigures(result);
          if (!f.passed) log(`  run ${i + 1}: the drill did not pass: ${f.failures.join('; ')}`);
          const injected = result.injectedAt;
          const truthAt = injected === null ? undefined : seen.find((t) => t >= injected - WATCH_MS);
          const detectedAt = injected !== null && f.detectionMs !== null ? injected + f.detectionMs : undefined;
          figure.detectionMs.push(f.detectionMs);
          figure.truthMs.push(truthAt === undefined || injected === null ? null : Math.max(0, truthAt - injected));
          figure.lagMs.push(truthAt === undefined || detectedAt === undefined ? null : detectedAt - truthAt);
          await sleep(2000);
        }
        figures.push(figure);
      }
      return figures;
    },
    false,
  );
}
