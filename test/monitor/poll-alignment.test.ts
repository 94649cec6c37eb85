// Polls stay on the monitor's common clock through a fleet-wide reconnect:
// every host's sshd is killed and started again at scattered moments (and
// backoff is jittered), yet from its second poll after reconnecting each
// host polls on the common tick again, as it did before the kill. Real
// OpenSSH daemons on 127.0.41.x.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { ensureLabUser } from '../../src/lab/lab-user.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';

const INTERVAL_MS = 1000;
/** How far from its tick a poll may be taken (a loaded machine's timers, early or late), far from a random phase's spread. */
const WINDOW_MS = 200;
const HOSTS = 4;

let fleet: Fleet;
let session: Session;
/** When each host's samples were taken (store updatedAt), in order. */
const taken = new Map<string, number[]>();

beforeAll(async () => {
  // The lab user's plain /bin/sh: a login costs what sshd costs, whatever root's dotfiles do.
  fleet = await startFleet({ hosts: HOSTS, perProcess: 1, firstAddress: '127.0.41.1', loginUser: ensureLabUser() });
  const inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
  session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile, interval: INTERVAL_MS / 1000 }));
  session.store.subscribe((s) => {
    for (const h of fleet.hosts) {
      const at = s.hosts[h.id]?.updatedAt;
      const list = taken.get(h.id) ?? [];
      if (at !== undefined && at !== list.at(-1)) taken.set(h.id, [...list, at]);
    }
  });
  session.monitor.start();
});
afterAll(async () => {
  await session?.monitor.stop();
  await fleet?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How far a moment is from the nearest tick of the monitor's clock (negative: before it). */
function offTick(at: number): number {
  const into = (at - session.monitor.epochMs) % INTERVAL_MS;
  return into > INTERVAL_MS / 2 ? into - INTERVAL_MS : into;
}
const offWindow = (times: number[]) => times.map(offTick).filter((d) => Math.abs(d) > WINDOW_MS);
const samplesSince = (id: string, since: number) => (taken.get(id) ?? []).filter((t) => t >= since);

describe('polls on the common clock', () => {
  it('every host polls on the common tick, and again after all were killed and restarted apart', async () => {
    const ids = fleet.hosts.map((h) => h.id);
    await waitFor(() => ids.every((id) => (taken.get(id)?.length ?? 0) >= 3), 15_000, 'three samples from every host');
    for (const id of ids) expect(offWindow(taken.get(id)!.slice(1)), `${id} before the kill`).toEqual([]);

    for (let i = 0; i < HOSTS; i++) await fleet.kill(i);
    await waitFor(() => ids.every((id) => session.store.getState().hosts[id]?.conn === 'unreachable'), 10_000, 'every host unreachable');
    // Restarted at moments that fall at different points of an interval.
    for (let i = 0; i < HOSTS; i++) {
      await sleep(INTERVAL_MS * 0.37);
      await fleet.restart(i);
    }
    const restarted = Date.now();
    // The first poll comes when the reconnect does; the following ones are the test.
    await waitFor(() => ids.every((id) => samplesSince(id, restarted).length >= 4), 30_000, 'four samples from every host after the restart');
    const off = ids.map((id) => ({ id, offTick: offWindow(samplesSince(id, restarted).slice(1)) })).filter((h) => h.offTick.length > 0);
    expect(off, 'hosts polling off the common tick').toEqual([]);
  });
});
