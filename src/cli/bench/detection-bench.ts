// Detection latency for `baton bench`: a fault injected with the real tool
// (HAProxy's admin socket, SIGKILL of the etcd leader, a Pacemaker node
// crashed through the lab) until the matching event is in the store, on a
// real lab polled at the session's interval. A crashed node is invisible
// until corosync's token expires: that fault is timed from the moment the
// cluster's own crm_mon (asked every 100 ms on a surviving node) shows it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { askLab } from '../../lab/control-socket.js';
import type { BatonEvent } from '../../store/types.js';
import type { GlobalOptions } from '../options.js';
import type { Session } from '../session.js';
import { sshTo, withBenchLab } from './bench-lab.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe } from '../../probes/pacemaker.js';
import { nextEvent } from './next-event.js';

const WATCH_MS = 100;

/** Resolves with when `changed` first says true, asked every WATCH_MS (at most `timeoutMs`). */
async function firstTrue(changed: () => Promise<boolean>, timeoutMs: number): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const asked = performance.now();
    if (await changed().catch(() => false)) return asked;
    await new Promise((r) => setTimeout(r, WATCH_MS));
  }
  return undefined;
}

export interface DetectionFigure {
  fault: string;
  /** Milliseconds from injection to the first event, one per sample. */
  samplesMs: number[];
  /** Samples whose event did not come within 20 s. */
  missed: number;
}

interface Fault {
  name: string;
  /** Resolves with when the fault took effect (performance.now() time), when the injector can tell. */
  inject(): Promise<number | undefined>;
  /** The first event the fault causes. */
  seen(e: BatonEvent): boolean;
  heal(): Promise<unknown>;
  /** The event that says it is repaired, before the next sample. */
  healed(e: BatonEvent): boolean;
}

/**
 * Polls run every interval, so a fault's latency depends on where in the
 * interval it lands: each sample waits a random part of the interval first,
 * so the samples cover every phase.
 */
async function measure(session: Session, fault: Fault, samples: number, intervalMs: number): Promise<DetectionFigure> {
  const figure: DetectionFigure = { fault: fault.name, samplesMs: [], missed: 0 };
  for (let i = 0; i < samples; i++) {
    await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
    const seen = nextEvent(session, fault.seen, 20_000);
    const requested = performance.now();
    // The lab says when the fault became real (the SIGKILL, the CIB swap):
    // the work before it (finding the leader, running the scheduler) is no
    // part of how late baton is.
    const t0 = (await fault.inject()) ?? requested;
    const at = await seen;
    if (at === null) figure.missed++;
    else figure.samplesMs.push(at - t0);
    const healed = nextEvent(session, fault.healed, 20_000);
    await fault.heal();
    await healed;
  }
  return figure;
}

export async function measureDetection(sessionOptions: (inventory: string) => GlobalOptions, samples: number): Promise<DetectionFigure[]> {
  return withBenchLab('lab', sessionOptions, async ({ dir, files, options, session }) => {
    const lab = async (type: 'fail' | 'heal', target: string): Promise<number | undefined> => {
      const reply = await askLab(files.control, { cmd: type, target });
      if (!reply.ok) throw new Error(`lab ${type} ${target}: ${reply.error}`);
      return reply.effectiveAt === undefined ? undefined : reply.effectiveAt - performance.timeOrigin;
    };
    const intervalMs = options.interval * 1000;
    const survivor = sshTo(session.inventory.hosts.find((h) => h.id === 'web1')!, options.knownHosts ?? join(dir, 'known_hosts'), dir, 2000);
    const node2Offline = async () => {
      const r = parsePacemakerProbe(await survivor(PACEMAKER_PROBE_COMMAND));
      return r.kind === 'snapshot' && r.snapshot.nodes.some((n) => n.name === 'node2' && !n.online);
    };
    // Let every service report once, so that only the faults make events.
    await new Promise((r) => setTimeout(r, 4000));
    const socket = join(dir, 'haproxy', 'admin.sock');
    const haproxy = (command: string) => async () => {
      execFileSync('socat', ['stdio', `UNIX-CONNECT:${socket}`], { input: `${command}\n` });
      return undefined;
    };
    const faults: Fault[] = [
      {
        name: 'HAProxy server set to MAINT on the admin socket',
        inject: haproxy('set server web/web2 state maint'),
        seen: (e) => e.source === 'haproxy' && e.message.includes('web/web2'),
        heal: haproxy('set server web/web2 state ready'),
        healed: (e) => e.source === 'haproxy' && e.message.includes('web/web2 is UP again'),
      },
      {
        // The first event the kill causes is the member going down; the
        // leader change follows when etcd's own election is over.
        name: 'etcd leader killed (SIGKILL)',
        inject: () => lab('fail', 'etcd:leader'),
        seen: (e) => e.source === 'etcd' && /leader|went down|stopped answering/i.test(e.message),
        heal: () => lab('heal', 'etcd:leader'),
        healed: (e) => e.source === 'etcd' && /back up|answers again/.test(e.message),
      },
      {
        name: 'Pacemaker node2 crashed (from crm_mon showing it)',
        inject: async () => {
          const known = firstTrue(node2Offline, 20_000);
          const crashedAt = await lab('fail', 'pacemaker:node2');
          return (await known) ?? crashedAt;
        },
        seen: (e) => e.source === 'pacemaker' && e.message.includes('node2'),
        heal: () => lab('heal', 'pacemaker:node2'),
        healed: (e) => e.source === 'pacemaker' && e.message.includes('node2 is online again'),
      },
    ];
    const figures: DetectionFigure[] = [];
    for (const fault of faults) figures.push(await measure(session, fault, samples, intervalMs));
    return figures;
  });
}
