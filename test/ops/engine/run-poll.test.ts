// A `poll` step re-reads the service until its state holds (ok, with what it
// saw) or the deadline passes (failed, with the last reading): readings are
// real haproxy 2.6 `show stat` captures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Step } from '../../../src/ops/engine/plan.js';
import { runStepOnce } from '../../../src/ops/engine/run-step.js';
import { FakeTransport } from './fake-transport.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/haproxy', name), 'utf8');
const reading = (name: string) => `@@baton:clock 1000 \n@@baton:via socat unix socket\n${fixture(name)}`;
const step = (deadlineSeconds: number): Step => ({
  id: 'health:lb2',
  hostId: 'lb2',
  label: 'health check on lb2',
  spec: { kind: 'poll', command: 'read-haproxy', until: { haproxy: { backend: 'app', up: 2 } }, deadlineSeconds },
  timeoutMs: deadlineSeconds * 1000 + 5000,
  retries: 0,
});

describe('a poll step', () => {
  it('reads again until the state holds, then says what it saw', async () => {
    const t = new FakeTransport('lb2', (_c, n) => ({ stdout: reading(n < 3 ? 'show-stat-down.csv' : 'show-stat-drain-maint.csv') }));
    const r = await runStepOnce(step(10), t, new AbortController().signal);
    expect(r.outcome).toBe('ok');
    expect(t.commands).toEqual(['read-haproxy', 'read-haproxy', 'read-haproxy']);
    expect(r.stdout).toBe('health check on lb2: 2 of 4 servers of app UP (want 2); not UP: app/web2 DRAIN (L7OK), app/web3 MAINT\n');
  }, 20_000);

  it('fails at the deadline with the last reading', async () => {
    const t = new FakeTransport('lb2', () => ({ stdout: reading('show-stat-down.csv') }));
    const r = await runStepOnce(step(2), t, new AbortController().signal);
    expect(r.outcome).toBe('failed');
    expect(t.commands.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toMatch(/^service state not reached in 2 s \(\d+ readings\): 1 of 4 servers of app UP, want 2; not UP: app\/web1 DOWN \(L4CON\)/);
  }, 20_000);

  it('a reading that fails to run is a failed reading, not the end', async () => {
    const t = new FakeTransport('lb2', (_c, n) => (n === 1 ? { code: 127, stdout: 'socat: not found' } : { stdout: reading('show-stat-drain-maint.csv') }));
    const r = await runStepOnce(step(10), t, new AbortController().signal);
    expect(r.outcome).toBe('ok');
    expect(t.commands).toHaveLength(2);
  }, 20_000);
});
