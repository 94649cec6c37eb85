// HAProxy statuses beyond the lab's: agent checks, NOLB, DRAIN and UP
// between states, MAINT via a tracked server and by DNS, frontends paused and
// stopped, backends HAProxy reports DOWN, a status baton does not know, and
// the socat/curl errors under the probe. Captured from a real haproxy 2.6
// (test/fixtures/haproxy/capture-states.sh).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxySnapshot } from '../../src/probes/haproxy.js';
import { haproxyAlerts, haproxyEvents } from '../../src/probes/haproxy-alerts.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/haproxy', name), 'utf8');

function parsed(csv: string): HaproxySnapshot {
  const r = parseHaproxyProbe(`@@baton:via socat unix socket\n${fixture('show-info-states.txt')}${csv}`);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}
const states = () => parsed(fixture('show-stat-states.csv'));
const goingDown = () => parsed(fixture('show-stat-states-going-down.csv'));
const server = (s: HaproxySnapshot, id: string) => s.backends.flatMap((b) => b.servers).find((x) => `${x.backend}/${x.name}` === id);
const backend = (s: HaproxySnapshot, name: string) => s.backends.find((b) => b.name === name);
const messages = (notices: { message: string }[]) => notices.map((n) => n.message);

describe('HAProxy statuses from a real haproxy 2.6', () => {
  it('reads servers set by their agent: DOWN (agent), DRAIN (agent), maint, a weight of 50 %', () => {
    const s = states();
    expect(server(s, 'agents/a-down')).toMatchObject({ state: 'down', stateSource: 'agent', statusText: 'DOWN (agent)', agentStatus: 'L7STS', agentReply: 'down', checkStatus: 'L4OK' });
    expect(server(s, 'agents/a-drain')).toMatchObject({ state: 'drain', stateSource: 'agent', statusText: 'DRAIN (agent)' });
    expect(server(s, 'agents/a-maint')).toMatchObject({ state: 'maint', stateSource: null });
    expect(server(s, 'agents/a-half')).toMatchObject({ state: 'up', weight: 50, agentReply: 'up' });
    expect(s.unknownStatuses).toEqual([]);
  });

  it('reads NOLB, MAINT via a tracked server, MAINT by resolution and no check', () => {
    const s = states();
    expect(server(s, 'app/nolb')).toMatchObject({ state: 'nolb', transition: null, checkStatus: 'L7OKC' });
    expect(server(s, 'app/follower')).toMatchObject({ state: 'maint', stateSource: 'tracked', tracks: 'app/tracked' });
    expect(server(s, 'app/named')).toMatchObject({ state: 'maint', stateSource: 'resolution' });
    expect(server(s, 'app/nocheck')).toMatchObject({ state: 'no-check' });
  });

  it('reads NOLB, DRAIN and UP on their way down, with the checks left', () => {
    const s = goingDown();
    const down = { toward: 'down', count: 2, of: 3 };
    expect(server(s, 'app/web2')).toMatchObject({ state: 'up', statusText: 'UP 2/3', transition: down, checkStatus: 'L4CON' });
    expect(server(s, 'app/nolb')).toMatchObject({ state: 'nolb', statusText: 'NOLB 2/3', transition: down });
    expect(server(s, 'app/drain')).toMatchObject({ state: 'drain', statusText: 'DRAIN 2/3', transition: down });
  });

  it('reads paused and stopped frontends, and keeps a listener row out of the backends', () => {
    const s = states();
    expect(s.frontends.map((f) => [f.name, f.state])).toEqual([['web', 'open'], ['paused', 'paused'], ['stopped', 'stopped']]);
    expect(s.backends.map((b) => b.name)).toEqual(['app', 'agents', 'agent-down', 'zero', 'drained']);
  });

  it('reads the backends HAProxy reports DOWN', () => {
    const s = states();
    expect(['agent-down', 'zero', 'drained'].map((b) => backend(s, b)?.state)).toEqual(['down', 'down', 'down']);
    expect(backend(s, 'app')?.state).toBe('up');
  });
});

describe('HAProxy alerts and events on those statuses', () => {
  it('alerts on a server down by its agent like any DOWN, and not on DRAIN or NOLB', () => {
    const alerts = haproxyAlerts(states());
    expect(alerts).toContainEqual({ severity: 'crit', message: 'agents/a-down is DOWN (agent: down)', brief: 'a-down DOWN' });
    expect(alerts).toContainEqual({ severity: 'crit', message: 'agent-down/only1 is DOWN (agent: down)', brief: 'only1 DOWN' });
    expect(messages(alerts).filter((m) => /a-drain|nolb|app\/drain|follower|named/.test(m))).toEqual([]);
  });

  it('alerts "no server up" for every backend HAProxy reports DOWN, saying why when its servers are up', () => {
    const alerts = haproxyAlerts(states());
    expect(alerts).toContainEqual({ severity: 'crit', message: 'backend agent-down has no server up', brief: 'agent-down no server up' });
    expect(alerts).toContainEqual({ severity: 'crit', message: 'backend drained has no server up', brief: 'drained no server up' });
    expect(alerts).toContainEqual({ severity: 'crit', message: 'backend zero has no server up (HAProxy reports it DOWN: its servers are at weight 0)', brief: 'zero no server up' });
    expect(messages(alerts).some((m) => m.startsWith('backend app ') || m.startsWith('backend agents '))).toBe(false);
  });

  it('makes UP -> DOWN (agent) a crit event like UP -> DOWN, and a server starting to fail checks a warning', () => {
    const events = haproxyEvents(states(), goingDown());
    expect(events).toContainEqual({ severity: 'crit', message: 'agents/a-flip went DOWN (UP -> DOWN (agent))' });
    expect(events).toContainEqual({ severity: 'warn', message: 'app/web2 UP -> UP 2/3' });
    expect(events).toContainEqual({ severity: 'warn', message: 'app/nolb NOLB -> NOLB 2/3' });
    expect(haproxyEvents(goingDown(), states())).toContainEqual({ severity: 'info', message: 'agents/a-flip is UP again (DOWN (agent) -> UP)' });
  });

  it('counts a server still DOWN while its checks pass again, until it is UP', () => {
    const comingUp = parsed(fixture('show-stat-states.csv').replace(',DOWN (agent),', ',DOWN 1/2,'));
    expect(haproxyAlerts(comingUp)).toContainEqual({ severity: 'crit', message: 'agents/a-down is DOWN (check L4OK, coming back: 1 of 2 checks passed)', brief: 'a-down DOWN' });
  });
});

describe('a HAProxy status baton does not understand', () => {
  const odd = () => parsed(fixture('show-stat-states.csv').replace(',DRAIN (agent),', ',SOFTSTOP 1/x,').replace(',PAUSED,', ',SOFTSTOP 1/x,'));

  it('is a parse gap with the raw text and where it was seen', () => {
    const s = odd();
    expect(server(s, 'agents/a-drain')).toMatchObject({ state: 'unknown', statusText: 'SOFTSTOP 1/x' });
    expect(s.unknownStatuses).toEqual([{ status: 'SOFTSTOP 1/x', seenOn: ['paused', 'agents/a-drain'] }]);
  });

  it('is logged once, from the first snapshot on, and again only when it comes back', () => {
    const gap = { severity: 'warn', message: 'baton does not understand HAProxy status "SOFTSTOP 1/x" (on paused, agents/a-drain)' };
    expect(haproxyEvents(undefined, odd())).toEqual([gap]);
    expect(haproxyEvents(odd(), odd())).toEqual([]);
    expect(haproxyEvents(states(), odd())).toContainEqual(gap);
  });
});

describe('the error under the HAProxy probe', () => {
  it.each([
    ['probe-socat-permission-denied.txt', /^haproxy via socat unix socket: no 'show stat' CSV; it said: .*socat.*connect\(.*admin\.sock.*\): Permission denied$/],
    ['probe-socat-refused.txt', /^haproxy via socat tcp socket: no 'show stat' CSV; it said: .*socat.*127\.0\.44\.1:9.*Connection refused$/],
    ['probe-curl-refused.txt', /^haproxy via curl stats page: no 'show stat' CSV; it said: curl: \(7\) Failed to connect to 127\.0\.44\.1 port 9 .*Couldn't connect to server$/],
  ])('%s: the message carries what the tool said', (name, message) => {
    const r = parseHaproxyProbe(fixture(name));
    expect(r).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(message) });
  });

  it('comes through from the real probe command, run by sh against a closed port', () => {
    const r = spawnSync('sh', ['-c', haproxyProbeCommand({ tcp: '127.0.44.1:9' })], { encoding: 'utf8', timeout: 10_000 });
    // As the poller hands it over: stdout, then stderr when the command failed.
    const output = r.stdout + (r.status !== 0 && r.stderr ? `\n${r.stderr}` : '');
    expect(parseHaproxyProbe(output)).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(/^haproxy via (socat|nc) tcp socket: .*(Connection refused|failed)/) });
  });

  it('says so when the tool said nothing', () => {
    expect(parseHaproxyProbe('@@baton:via wget stats page\n\n')).toMatchObject({ kind: 'parse-error', message: "haproxy via wget stats page: no 'show stat' CSV; no output and no error message" });
  });
});
