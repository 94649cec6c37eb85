// Verify of the Pacemaker lever: crm_mon (the HA pane's probe, on the first
// node of each cluster that answers) polled until every moved resource runs
// on its new node with its cli-prefer constraint in place, as
// pacemaker.move --pin verifies; the stale constraints lever: the
// constraints re-read until the deleted ones are gone; balanced: the
// configuration re-read until every attribute has its value. Bounded.
import type { Outcome } from '../engine/plan.js';
import type { LiveContext } from '../engine/registry.js';
import { readCluster, runOn } from '../failover/pacemaker/cluster-reading.js';
import { inAskedState } from '../failover/pacemaker/pacemaker-verify.js';
import { sleep } from '../failover/host-command.js';
import type { PacemakerLever } from './pacemaker-lever.js';
import type { StaleLever } from './pacemaker-stale-lever.js';
import type { BalancedLever } from './pacemaker-balanced-lever.js';
import { notYet, parsePlacementState, PLACEMENT_READ_COMMAND } from './placement-balanced.js';

const DEADLINE_MS = 60_000;
const POLL_MS = 500;

/** `read` every POLL_MS until `done` says so or the deadline passes; the last reading, and whether it was done. */
async function pollUntil<T>(read: () => Promise<T>, done: (reading: T) => boolean, deadlineMs: number): Promise<{ last: T; met: boolean; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    const last = await read();
    const elapsedMs = Date.now() - started;
    if (done(last)) return { last, met: true, elapsedMs };
    if (elapsedMs >= deadlineMs) return { last, met: false, elapsedMs };
    await sleep(POLL_MS);
  }
}

const worst = (a: Outcome, b: Outcome): Outcome => (a === 'failed' || b === 'failed' ? 'failed' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'ok');

export async function verifyPacemakerLever(ctx: LiveContext, clusters: PacemakerLever['clusters'], deadlineMs = DEADLINE_MS): Promise<{ outcome: Outcome; note: string; hosts: Record<string, Outcome> }> {
  const results = await Promise.all(
    clusters.map(async (c): Promise<{ outcome: Outcome; note: string; host: string }> => {
      const hosts = [c.host, ...c.candidates.filter((h) => h !== c.host)];
      const look = async () => {
        const read = await readCluster(ctx.transports, hosts);
        return { read, seen: read.ok ? c.changes.map((m) => inAskedState(read.snapshot, { change: { kind: 'move', resource: m.resource, node: m.after, lifetime: null }, pin: true, from: null })) : [] };
      };
      const { last, met, elapsedMs } = await pollUntil(look, ({ read, seen }) => read.ok && seen.every((s) => s.done), deadlineMs);
      const { read, seen } = last;
      const elapsed = (elapsedMs / 1000).toFixed(1);
      if (met && read.ok) return { outcome: 'ok', host: c.host, note: `${seen.map((s) => s.detail).join('; ')} (crm_mon on ${read.host}, ${elapsed} s)` };
      return read.ok ? { outcome: 'failed', host: c.host, note: `not in place after ${elapsed} s: ${seen.filter((s) => !s.done).map((s) => s.detail).join('; ')}` } : { outcome: 'unknown', host: c.host, note: `crm_mon could not be read for ${elapsed} s: ${read.error}` };
    }),
  );
  const outcomes = results.map((r) => r.outcome);
  return {
    outcome: outcomes.includes('failed') ? 'failed' : outcomes.includes('unknown') ? 'unknown' : 'ok',
    note: `pacemaker: ${clusters.map((c, i) => `${c.cluster}: ${results[i]!.note}`).join('; ')}`,
    hosts: Object.fromEntries(results.map((r) => [r.host, r.outcome])),
  };
}

/** The stale constraints lever: the constraints re-read until none of the deleted ids is left. */
export async function verifyStaleLever(ctx: LiveContext, clusters: StaleLever['clusters'], deadlineMs = DEADLINE_MS): Promise<{ outcome: Outcome; note: string }> {
  const notes: string[] = [];
  let outcome: Outcome = 'ok';
  for (const c of clusters) {
    const look = async () => {
      const read = await readCluster(ctx.transports, [c.host, ...c.candidates.filter((h) => h !== c.host)]);
      const ids = read.ok && read.snapshot.constraints.kind === 'read' ? read.snapshot.constraints.list.map((x) => x.id) : undefined;
      return { ids, left: ids ? c.removed.filter((x) => ids.includes(x.id)).map((x) => x.id) : undefined };
    };
    const { last: { ids, left }, met } = await pollUntil(look, (r) => r.left?.length === 0, deadlineMs);
    if (met) {
      notes.push(`${c.cluster}: ${c.removed.length} removed (${c.removed.map((x) => x.id).join(', ')}); cli constraints now: ${ids!.join(', ') || 'none'}`);
      continue;
    }
    outcome = worst(outcome, left ? 'failed' : 'unknown');
    notes.push(`${c.cluster}: ${left ? `still in the CIB: ${left.join(', ')}` : 'the constraints could not be re-read'}`);
  }
  return { outcome, note: `stale constraints: ${notes.join('; ')}` };
}

/** placement-strategy=balanced: the configuration re-read until every attribute has its new value. */
export async function verifyBalancedLever(ctx: LiveContext, clusters: BalancedLever['clusters'], deadlineMs = DEADLINE_MS): Promise<{ outcome: Outcome; note: string }> {
  const notes: string[] = [];
  let outcome: Outcome = 'ok';
  for (const c of clusters) {
    const look = async () => {
      const read = await runOn(ctx.transports, c.host, PLACEMENT_READ_COMMAND).catch((err: Error) => ({ code: null, stdout: '', stderr: err.message }));
      const state = read.code === 0 ? parsePlacementState(read.stdout) : `cibadmin: ${read.stderr.trim()}`;
      return { state, missing: typeof state === 'string' ? undefined : notYet(c.changes, state) };
    };
    const { last: { state, missing }, met } = await pollUntil(look, (r) => r.missing?.length === 0, deadlineMs);
    if (met) {
      notes.push(`${c.cluster}: ${c.changes.map((x) => `${x.target} ${x.name}=${x.after}`).join(', ')} (cibadmin --query on ${c.host})`);
      continue;
    }
    outcome = worst(outcome, missing ? 'failed' : 'unknown');
    notes.push(`${c.cluster}: ${missing ? `not set: ${missing.map((x) => `${x.target} ${x.name}`).join(', ')}` : String(state)}`);
  }
  return { outcome, note: `placement-strategy=balanced: ${notes.join('; ')}` };
}
