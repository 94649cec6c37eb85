// The HAProxy parser on output captured from a real haproxy 2.6
// (test/fixtures/haproxy/capture.sh), and on random and cut input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxySnapshot } from '../../src/probes/haproxy.js';
import { parseHaproxyStatus } from '../../src/probes/haproxy-status.js';
import { haproxyAlerts, haproxyEvents } from '../../src/probes/haproxy-alerts.js';
import { mangledText } from '../helpers/mangled-text.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/haproxy', name), 'utf8');
const probeOutput = (name: string, via = 'socat unix socket') => `@@baton:via ${via}\n${fixture(name)}`;

function parsed(output: string): HaproxySnapshot {
  const r = parseHaproxyProbe(output);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}
const snapshot = (name: string) => parsed(probeOutput(name));
const server = (s: HaproxySnapshot, id: string) => s.backends.flatMap((b) => b.servers).find((x) => `${x.backend}/${x.name}` === id)!;

describe('parseHaproxyProbe on real haproxy output', () => {
  it('reads show info and show stat from one socket exchange', () => {
    const s = snapshot('show-info-and-stat.txt');
    expect(s.via).toBe('socat unix socket');
    expect(s.version).toMatch(/^2\.6\./);
    expect(s.uptimeSeconds).toBeGreaterThan(0);
    expect(s.process).toEqual({
      pid: 8234, node: 'vm', threads: 2, currentConnections: 0, maxConnections: 9983, connectionsPerSec: 0, sessionsPerSec: 0, idlePercent: 100, runQueue: 0,
    });
    expect(s.frontends.map((f) => [f.name, f.state])).toEqual([['web', 'open']]);
    expect(s.backends.map((b) => b.name)).toEqual(['app', 'empty']);
    expect(server(s, 'app/sorry').backup).toBe(true);
    expect(server(s, 'app/web1').backup).toBe(false);
  });

  it('knows DRAIN, MAINT and a changed weight', () => {
    const s = snapshot('show-stat-drain-maint.csv');
    expect(server(s, 'app/web2')).toMatchObject({ state: 'drain', statusText: 'DRAIN', weight: 50 });
    expect(server(s, 'app/web3')).toMatchObject({ state: 'maint', statusText: 'MAINT' });
    expect(server(s, 'app/web1')).toMatchObject({ state: 'up', weight: 20, sessionLimit: 50 });
    expect(server(s, 'empty/none1').state).toBe('maint');
  });

  it('knows the transitional states both ways, with their counters', () => {
    expect(server(snapshot('show-stat-going-down.csv'), 'app/web1')).toMatchObject({ state: 'up', statusText: 'UP 1/2', transition: { toward: 'down', count: 1, of: 2 } });
    expect(server(snapshot('show-stat-coming-up.csv'), 'app/web1')).toMatchObject({ state: 'down', statusText: 'DOWN 1/2', transition: { toward: 'up', count: 1, of: 2 } });
  });

  it('reads a DOWN server with its check status, duration and downtime', () => {
    const web1 = server(snapshot('show-stat-down.csv'), 'app/web1');
    expect(web1.state).toBe('down');
    expect(web1.checkStatus).toMatch(/^L4CON|^L7/);
    expect(web1.lastChangeSeconds).toBeGreaterThanOrEqual(0);
    expect(web1.downtimeSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('HAProxy alerts and events', () => {
  it('alerts on a DOWN server and an empty backend', () => {
    const alerts = haproxyAlerts(snapshot('show-stat-down.csv')).map((a) => a.message);
    expect(alerts).toEqual(expect.arrayContaining([expect.stringMatching(/^app\/web1 is DOWN/), 'backend empty has no server up']));
  });

  it('alerts when sessions pass the threshold', () => {
    const s = snapshot('show-stat-drain-maint.csv');
    s.frontends[0]!.sessions = 150;
    expect(haproxyAlerts(s)).toContainEqual({ severity: 'warn', message: 'web has 150 sessions (over 100)' });
    expect(haproxyAlerts(s, 200).some((a) => a.message.includes('sessions'))).toBe(false);
  });

  it('alerts when the process holds 90 % of its maxconn or more', () => {
    const s = snapshot('show-info-and-stat.txt');
    expect(haproxyAlerts(s).some((a) => a.message.includes('maxconn'))).toBe(false);
    const busy = { ...s, process: { ...s.process, currentConnections: 8985 } };
    expect(haproxyAlerts(busy)).toContainEqual({ severity: 'warn', message: 'HAProxy holds 8985 of its 9983 connections (maxconn); past it, new clients wait' });
    expect(haproxyAlerts({ ...s, process: { ...s.process, currentConnections: 8984 } }).some((a) => a.message.includes('maxconn'))).toBe(false);
  });

  it('turns transitions into events', () => {
    const up = snapshot('show-stat-drain-maint.csv');
    const down = snapshot('show-stat-down.csv');
    expect(haproxyEvents(up, down).map((e) => e.message)).toContain('app/web1 went DOWN (UP -> DOWN)');
    expect(haproxyEvents(down, snapshot('show-stat-coming-up.csv')).map((e) => e.message)).toContain('app/web1 DOWN -> DOWN 1/2');
    expect(haproxyEvents(undefined, down)).toEqual([]);
  });
});

describe('parseHaproxyProbe on bad input', () => {
  it('says what is missing, with the raw snippet', () => {
    expect(parseHaproxyProbe('')).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('via') });
    expect(parseHaproxyProbe('@@baton:via socat unix socket\n2026/11/22 connect failed: Permission denied\n')).toMatchObject({
      kind: 'parse-error',
      message: expect.stringMatching(/no 'show stat' CSV.*Permission denied/),
      raw: expect.stringContaining('Permission denied'),
    });
    expect(parseHaproxyProbe('@@baton:none\nno way to reach the HAProxy stats: set ...\n')).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('no way to reach') });
  });

  it('never throws on random, cut or mutated output', () => {
    const real = probeOutput('show-info-and-stat.txt');
    fc.assert(
      fc.property(mangledText(real), (text) => {
        const r = parseHaproxyProbe(text);
        expect(['snapshot', 'parse-error']).toContain(r.kind);
        if (r.kind === 'parse-error') expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('reads every status HAProxy 2.6 writes by its parts', () => {
    const none = { stateSource: null, tracks: null, transition: null };
    const cases: [string, object][] = [
      ['UP', { ...none, state: 'up' }],
      ['DOWN', { ...none, state: 'down' }],
      ['NOLB', { ...none, state: 'nolb' }],
      ['DRAIN', { ...none, state: 'drain' }],
      ['MAINT', { ...none, state: 'maint' }],
      ['no check', { ...none, state: 'no-check' }],
      ['DOWN (agent)', { ...none, state: 'down', stateSource: 'agent' }],
      ['DRAIN (agent)', { ...none, state: 'drain', stateSource: 'agent' }],
      ['MAINT (via app/web1)', { ...none, state: 'maint', stateSource: 'tracked', tracks: 'app/web1' }],
      ['MAINT(via)', { ...none, state: 'maint', stateSource: 'tracked' }],
      ['MAINT (resolution)', { ...none, state: 'maint', stateSource: 'resolution' }],
      ['UP 1/3', { ...none, state: 'up', transition: { toward: 'down', count: 1, of: 3 } }],
      ['NOLB 2/3', { ...none, state: 'nolb', transition: { toward: 'down', count: 2, of: 3 } }],
      ['DRAIN 1/2', { ...none, state: 'drain', transition: { toward: 'down', count: 1, of: 2 } }],
      ['DOWN 2/3', { ...none, state: 'down', transition: { toward: 'up', count: 2, of: 3 } }],
      ['OPEN', { ...none, state: 'open' }],
      ['FULL', { ...none, state: 'full' }],
      ['PAUSED', { ...none, state: 'paused' }],
      ['WAITING', { ...none, state: 'waiting' }],
      ['STOP', { ...none, state: 'stopped' }],
      ['??', { ...none, state: 'unknown' }],
      ['UP (agent)', { ...none, state: 'unknown' }],
      ['', { ...none, state: 'unknown' }],
    ];
    for (const [text, want] of cases) expect([text, parseHaproxyStatus(text)]).toEqual([text, want]);
  });

  it('quotes every inventory value in the remote command', () => {
    const cmd = haproxyProbeCommand({ socket: "/run/x'; rm -rf /; '.sock", tcp: '127.0.0.1:9999' });
    expect(cmd).toContain(`bt_s="/run/x'; rm -rf /; '.sock"`);
    expect(cmd).toContain("bt_h=127.0.0.1; bt_p=9999");
  });
});
