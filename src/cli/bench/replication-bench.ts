// `baton bench --only replication`: how late baton tells that a PostgreSQL
// standby stopped streaming, and that its replay lag crossed the threshold,
// against the truth read directly with psql on the standby every 100 ms. A
// lab of its own with `--with postgresql`, polled at 1 s; the lag threshold
// is set low in the session's copy of the inventory (roles.postgresql.
// lagThreshold) so each sample takes seconds, not a minute.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, type YAMLMap } from 'yaml';
import { askLab } from '../../lab/control-socket.js';
import { labFiles } from '../../lab/lab-paths.js';
import { ensureLabUser } from '../../lab/lab-user.js';
import { DEFAULT_LAB_HOSTS, LAB_DB_REPLICA } from '../../lab/layout.js';
import { asUser } from '../../lab/postgresql/pg-server.js';
import { labPgInstance } from '../../lab/postgresql/postgresql-component.js';
import type { BatonEvent } from '../../store/types.js';
import { runLabDown } from '../lab/lab-down.js';
import { runLabUp } from '../lab/lab-up.js';
import type { GlobalOptions } from '../options.js';
import { openSession, type Session } from '../session.js';
import { nextEvent } from './next-event.js';

const TRUTH_EVERY_MS = 100;
/** The lag threshold the bench's inventory sets, seconds. */
export const BENCH_LAG_THRESHOLD_S = 2;

export interface ReplicationFigure {
  fault: string;
  /** Milliseconds from psql first showing it to baton's event, one per sample. */
  samplesMs: number[];
  missed: number;
  /** Why each missed sample was missed. */
  notes: string[];
}

/** The lab inventory with every postgresql role given the bench's lag threshold. */
function withThreshold(text: string): string {
  const doc = parseDocument(text);
  for (const pair of (doc.get('hosts') as YAMLMap<unknown, YAMLMap>).items) {
    if (pair.value?.hasIn(['roles', 'postgresql'])) pair.value.setIn(['roles', 'postgresql', 'lagThreshold'], BENCH_LAG_THRESHOLD_S);
  }
  return doc.toString();
}

function psqlOnStandby(dir: string): (sql: string) => Promise<string> {
  const i = labPgInstance(dir, LAB_DB_REPLICA, ensureLabUser());
  return (sql) => {
    const [command, args] = asUser(i.runAs, 'psql', ['-AtX', '-h', i.socketDir, '-p', String(i.port), '-d', 'postgres', '-c', sql]);
    return new Promise((resolve, reject) => execFile(command, args, { timeout: 5000, cwd: '/' }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))));
  };
}

/** The performance.now() time `truth` first says yes, asked every 100 ms (bounded). */
async function truthTime(truth: () => Promise<boolean>, timeoutMs: number): Promise<number | undefined> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const asked = performance.now();
    if (await truth().catch(() => false)) return asked;
    await new Promise((r) => setTimeout(r, TRUTH_EVERY_MS));
  }
  return undefined;
}

interface Fault {
  name: string;
  inject(): Promise<unknown>;
  truth(): Promise<boolean>;
  seen(e: BatonEvent): boolean;
  heal(): Promise<unknown>;
  healed(e: BatonEvent): boolean;
}

async function measure(session: Session, fault: Fault, samples: number, intervalMs: number): Promise<ReplicationFigure> {
  const figure: ReplicationFigure = { fault: fault.name, samplesMs: [], missed: 0, notes: [] };
  for (let i = 0; i < samples; i++) {
    // Faults land anywhere in the poll interval.
    await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
    const seen = nextEvent(session, fault.seen, 30_000);
    await fault.inject();
    const truth = await truthTime(fault.truth, 20_000);
    const at = await seen;
    if (at === null || truth === undefined) {
      figure.missed++;
      figure.notes.push(at === null ? 'no event within 30 s' : 'psql never showed it within 20 s');
    }
    else figure.samplesMs.push(at - truth);
    const healed = nextEvent(session, fault.healed, 30_000);
    await fault.heal();
    await healed;
  }
  return figure;
}

export async function measureReplication(sessionOptions: (inventory: string) => GlobalOptions, samples: number): Promise<ReplicationFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-bench-replication-'));
  const files = labFiles(dir);
  try {
    if ((await runLabUp({ dir, hosts: DEFAULT_LAB_HOSTS.length, ttl: 15 * 60, with: ['postgresql'] })) !== 0) throw new Error('bench: the lab did not start');
    const inventory = join(dir, 'bench-inventory.yaml');
    await writeFile(inventory, withThreshold(await readFile(files.inventory, 'utf8')));
    const options = sessionOptions(inventory);
    const session = await openSession(options);
    session.monitor.start();
    try {
      const lab = async (cmd: 'fail' | 'heal', target: string) => {
        const reply = await askLab(files.control, { cmd, target });
        if (!reply.ok) throw new Error(`lab ${cmd} ${target}: ${reply.error}`);
      };
      const psql = psqlOnStandby(dir);
      const db2 = (e: BatonEvent, text: string) => e.source === 'postgresql' && e.message.includes('/db2: ') && e.message.includes(text);
      // Let every server report once, so that only the faults make events.
      await new Promise((r) => setTimeout(r, 4000));
      const faults: Fault[] = [
        {
          name: 'standby stopped streaming (wrong primary_conninfo)',
          inject: () => lab('fail', 'postgresql:replication'),
          truth: async () => (await psql("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'")) === '0',
          seen: (e) => db2(e, 'replica not streaming'),
          heal: () => lab('heal', 'postgresql:replication'),
          healed: (e) => db2(e, 'cleared: replica not streaming'),
        },
        {
          name: `replay lag crossed ${BENCH_LAG_THRESHOLD_S} s (replay paused)`,
          inject: () => psql('SELECT pg_wal_replay_pause()'),
          // The probe's own definition: 0 when all received WAL is replayed, else the last replayed commit's age.
          truth: async () =>
            (await psql(
              `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN false ELSE clock_timestamp() - pg_last_xact_replay_timestamp() > interval '${BENCH_LAG_THRESHOLD_S} s' END`,
            )) === 't',
          seen: (e) => db2(e, 'replay lag'),
          heal: () => psql('SELECT pg_wal_replay_resume()'),
          healed: (e) => db2(e, 'cleared: lag'),
        },
      ];
      const figures: ReplicationFigure[] = [];
      for (const fault of faults) figures.push(await measure(session, fault, samples, options.interval * 1000));
      return figures;
    } finally {
      await session.monitor.stop();
    }
  } finally {
    await runLabDown({ dir });
    await rm(dir, { recursive: true, force: true });
  }
}
