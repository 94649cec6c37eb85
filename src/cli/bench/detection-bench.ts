// Detection latency for `baton bench`: a fault injected with the real tool
// (HAProxy's admin socket, SIGKILL of the etcd leader, crm_simulate's node
// failure through the lab) until the matching event is in the store, on a
// real lab polled at the session's interval.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askLab } from '../../lab/control-socket.js';
import { labFiles } from '../../lab/lab-paths.js';
import type { BatonEvent } from '../../store/types.js';
import { runLabDown } from '../lab/lab-down.js';
import { runLabUp } from '../lab/lab-up.js';
import type { GlobalOptions } from '../options.js';
import { openSession, type Session } from '../session.js';

export interface DetectionFigure {
  fault: string;
  latencyMs: number | null;
}

/** Resolves with the time the first event matching `match` reaches the store, or null after `timeoutMs`. */
function nextEvent(session: Session, match: (e: BatonEvent) => boolean, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const seen = new Set(session.store.getState().events.map((e) => e.id));
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(null);
    }, timeoutMs);
    const unsubscribe = session.store.subscribe((state) => {
      if (!state.events.some((e) => !seen.has(e.id) && match(e))) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(performance.now());
    });
  });
}

async function measure(session: Session, fault: string, inject: () => Promise<void>, match: (e: BatonEvent) => boolean): Promise<DetectionFigure> {
  const seen = nextEvent(session, match, 20_000);
  const t0 = performance.now();
  await inject();
  const at = await seen;
  return { fault, latencyMs: at === null ? null : at - t0 };
}

export async function measureDetection(sessionOptions: (inventory: string) => GlobalOptions): Promise<DetectionFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-lab-'));
  const files = labFiles(dir);
  const lab = async (type: 'fail' | 'heal', target: string) => {
    const reply = await askLab(files.control, { cmd: type, target });
    if (!reply.ok) throw new Error(`lab ${type} ${target}: ${reply.error}`);
  };
  try {
    if ((await runLabUp({ dir, hosts: 6, ttl: 15 * 60 })) !== 0) throw new Error('bench: the lab did not start');
    const session = await openSession(sessionOptions(files.inventory));
    session.monitor.start();
    try {
      // Let every service report once, so that only the faults make events.
      await new Promise((r) => setTimeout(r, 4000));
      const socket = join(dir, 'haproxy', 'admin.sock');
      const figures = [
        await measure(
          session,
          'HAProxy server set to MAINT on the admin socket',
          async () => void execFileSync('socat', ['stdio', `UNIX-CONNECT:${socket}`], { input: 'set server web/web2 state maint\n' }),
          (e) => e.source === 'haproxy' && e.message.includes('web/web2'),
        ),
        // The first event the kill causes: the member going down; the leader
        // change follows when etcd's own election (0.6-1.6 s here) is over.
        await measure(session, 'etcd leader killed (SIGKILL)', () => lab('fail', 'etcd:leader'), (e) => e.source === 'etcd' && /leader|went down|stopped answering/i.test(e.message)),
        await measure(session, 'Pacemaker node2 failed (crm_simulate)', () => lab('fail', 'pacemaker:node2'), (e) => e.source === 'pacemaker' && e.message.includes('node2')),
      ];
      return figures;
    } finally {
      await session.monitor.stop();
    }
  } finally {
    await runLabDown({ dir });
    await rm(dir, { recursive: true, force: true });
  }
}
