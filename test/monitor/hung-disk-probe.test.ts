// A host whose df never returns (a dead NFS mount), against a real sshd: every
// timeout kills what it started, baton quitting leaves nothing on the host,
// and only the disks go stale while load, CPU and memory keep coming.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../src/cli/session.js';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { HOST_PROBE_LIGHT_COMMAND } from '../../src/probes/host.js';
import { processesWithEnv } from '../helpers/processes.js';
import { sessionOptions } from '../helpers/session-options.js';
import { waitFor } from '../helpers/wait-for.js';

const HUNG = 1;
let fleet: Fleet;
let dir: string;
let inventory: string;
let mark: string;
const sessions: Session[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-hung-df-'));
  // The fake df notes each start, then hangs like df on a dead mount.
  writeFileSync(join(dir, 'df'), `#!/bin/sh\ndate +%s%3N >> ${dir}/df-calls\nsleep 86400\n`, { mode: 0o755 });
  mark = `BATON_HUNG_DF=${process.pid}`;
  fleet = await startFleet({
    hosts: 2,
    firstAddress: '127.0.42.1',
    sessionEnv: { [HUNG]: { PATH: `${dir}:/usr/bin:/bin`, BATON_HUNG_DF: String(process.pid) } },
  });
  inventory = join(fleet.dir, 'fleet.yaml');
  writeFileSync(inventory, fleet.inventoryYaml());
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.monitor.stop();
});
afterAll(async () => {
  // What a failed run left on the "host" is reparented away from sshd: kill it by its mark.
  for (const p of processesWithEnv(mark)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(commandTimeout: number): Promise<Session> {
  const session = await openSession(sessionOptions({ inventory, knownHosts: fleet.knownHostsFile, commandTimeout, interval: 0.5 }));
  sessions.push(session);
  return session;
}

/** Processes on the hung host: its shells, their subshells, the hung df trees. */
const onHost = () => processesWithEnv(mark);
const dfTrees = () => onHost().filter((p) => p.cmdline.includes(join(dir, 'df')));
/** The lanes' shells and the subshells their commands run in (a kill or a login runs under the login shell, bash here). */
const shells = () => onHost().filter((p) => p.cmdline === '/bin/sh');
const dfCalls = (): number[] => {
  try {
    return readFileSync(join(dir, 'df-calls'), 'utf8').trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

describe('a host whose df hangs', () => {
  it('keeps one hung df at most through many timeouts, each killed with its tree', async () => {
    const session = await open(5);
    const t = session.transports.get(fleet.hosts[HUNG]!.id)!;
    await t.connect();
    // Like the poller: the hung command times out, the next poll follows at
    // once on the same shell. Timeouts vary so later events fall at every
    // point of a cycle (a kill under way, df running, a light probe).
    const errors: string[] = [];
    const counts: number[] = [];
    const shellCounts: number[] = [];
    const started = Date.now();
    for (let cycle = 0; Date.now() - started < 12_000; cycle++) {
      const r = await t.run('df -P -k </dev/null', { timeoutMs: [700, 1100, 1500][cycle % 3] }).catch((e: Error) => (errors.push(e.message), undefined));
      if (r && !r.timedOut) errors.push(`df answered: ${r.stdout}`);
      await t.run(HOST_PROBE_LIGHT_COMMAND, { inline: true }).catch((e: Error) => errors.push(e.message));
      counts.push(dfTrees().length);
      shellCounts.push(shells().length);
    }
    await sleep(500);
    counts.push(dfTrees().length);
    expect(counts.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...counts), `hung df trees after each cycle: ${counts.join(' ')}`).toBeLessThanOrEqual(1);
    expect(Math.max(...shellCounts), `shells after each cycle: ${shellCounts.join(' ')}`).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
    await session.monitor.stop();
    await waitFor(() => onHost().length === 0, 5000, 'nothing left on the host after quitting');
  });

  it('leaves nothing on the host when baton quits while df hangs', async () => {
    const session = await open(60);
    const t = session.transports.get(fleet.hosts[HUNG]!.id)!;
    await t.connect();
    const running = t.run('df -P -k </dev/null').catch(() => undefined);
    // Queued behind it: must not start on a new shell while the first is killed.
    const queued = t.run('df -P -k </dev/null').catch(() => undefined);
    await waitFor(() => dfTrees().length === 1, 5000, 'df running on the host');
    await session.monitor.stop();
    await Promise.all([running, queued]);
    await waitFor(() => onHost().length === 0, 5000, `nothing left on the host (left: ${onHost().map((p) => p.cmdline).join(' | ')})`);
  });

  it('keeps load, CPU and memory flowing, marks only disks timed out and retries them with backoff', async () => {
    const callsBefore = dfCalls().length;
    const session = await open(2);
    const host = (i: number) => session.store.getState().hosts[fleet.hosts[i]!.id]!;
    session.monitor.start();
    await waitFor(() => host(HUNG).metrics?.disksProblem?.kind === 'timed-out', 8000, 'disks marked timed out');
    const states = new Set<string>();
    let oldest = 0;
    let mostTrees = 0;
    let mostShells = 0;
    // Until the first retry (due 20 s after the first timeout) has timed out too, 30 s at most.
    const started = Date.now();
    while (host(HUNG).metrics?.disksProblem?.failures !== 2 && Date.now() - started < 30_000) {
      await sleep(250);
      states.add(host(HUNG).conn);
      oldest = Math.max(oldest, Date.now() - (host(HUNG).updatedAt ?? 0));
      mostTrees = Math.max(mostTrees, dfTrees().length);
      mostShells = Math.max(mostShells, shells().length);
    }
    const m = host(HUNG).metrics!;
    expect([...states]).toEqual(['up']);
    // Polls every 0.5 s; none waits for df (a timeout would hold one up 2 s).
    expect(oldest).toBeLessThan(1500);
    expect(m.cpuPercent).not.toBeNull();
    expect(m.memUsedPercent).toBeGreaterThan(0);
    expect(m.disks).toEqual([]);
    expect(m.diskUsedPercentMax).toBeNull();
    expect(m.disksProblem).toMatchObject({ kind: 'timed-out', failures: 2, message: expect.stringMatching(/^df did not answer/) });
    // Backoff: the first retry 20 s after the first timeout, the next one 40 s after the second.
    const calls = dfCalls().slice(callsBefore);
    expect(calls).toHaveLength(2);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(20_000);
    expect(m.disksProblem!.retryAt - Date.now()).toBeGreaterThan(30_000);
    expect(mostTrees).toBeLessThanOrEqual(1);
    // Two lanes' shells and the hung df's subshell.
    expect(mostShells).toBeLessThanOrEqual(3);
    const healthy = host(0).metrics!;
    expect(healthy.disks.length).toBeGreaterThan(0);
    expect(healthy.disksProblem).toBeNull();
    await session.monitor.stop();
    await waitFor(() => onHost().length === 0, 5000, 'nothing left on the host after quitting');
  });
});
