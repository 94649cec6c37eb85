// A sync set's `health: { haproxy: ... }` judged on `show stat` captured from
// a real haproxy 2.6 (test/fixtures/haproxy/capture*.sh), read by the probe's
// own parser; after a reload, only the process started since counts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { etcdProbeCommand } from '../../src/probes/etcd.js';
import { serviceStateCommand, serviceStateVerdict, type HaproxyUpCheck, type ServiceStatePoll } from '../../src/probes/service-state.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/haproxy', name), 'utf8');
/** What the check's command prints: the host's clock (and reload stamp), then the probe's output. */
const reading = (name: string, clock = '@@baton:clock 1000 ') => `${clock}\n@@baton:via socat unix socket\n${fixture(name)}`;
const verdict = (haproxy: HaproxyUpCheck, name: string) => serviceStateVerdict({ haproxy }, reading(name));

describe('haproxy servers UP as a health check', () => {
  it('passes when every server in scope is UP', () => {
    expect(verdict({ backend: 'zero', up: 'all' }, 'show-stat-states.csv')).toEqual({ ok: true, detail: '1 of 1 servers of zero UP' });
  });

  it('fails all-up and names every server not UP with its status and check', () => {
    const v = verdict({ up: 'all' }, 'show-stat-down.csv');
    expect(v.ok).toBe(false);
    expect(v.detail).toBe('1 of 5 servers UP, want all; not UP: app/web1 DOWN (L4CON), app/web2 DRAIN (L7OK), app/web3 MAINT, empty/none1 MAINT');
  });

  it('a server whose checks are failing (UP 2/3) or never run (no check) is not UP', () => {
    const v = verdict({ backend: 'app', up: 'all' }, 'show-stat-states-going-down.csv');
    expect(v.ok).toBe(false);
    expect(v.detail).toContain('app/web2 UP 2/3');
    expect(v.detail).toContain('app/nocheck no check');
    expect(v.detail).toMatch(/^2 of 9 servers of app UP, want all/);
  });

  it('up: N passes with N servers UP and still says which are not', () => {
    expect(verdict({ backend: 'app', up: 2 }, 'show-stat-drain-maint.csv')).toEqual({ ok: true, detail: '2 of 4 servers of app UP (want 2); not UP: app/web2 DRAIN (L7OK), app/web3 MAINT' });
    expect(verdict({ backend: 'app', up: 2 }, 'show-stat-going-down.csv').ok).toBe(false);
  });

  it('an unknown backend, and an unreadable HAProxy, fail with what was seen', () => {
    expect(verdict({ backend: 'web', up: 'all' }, 'show-stat-states.csv')).toEqual({ ok: false, detail: 'no backend "web" (backends: app, agents, agent-down, zero, drained)' });
    const refused = serviceStateVerdict({ haproxy: { up: 'all' } }, `@@baton:clock 1000 \n${fixture('probe-socat-refused.txt')}`);
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/Connection refused/);
  });
});

describe('etcd healthy as a health check (real etcd 3.4 captures, test/fixtures/etcd)', () => {
  const etcd = (name: string) => serviceStateVerdict({ etcd: 'healthy' }, readFileSync(join(import.meta.dirname, '../fixtures/etcd', `${name}.txt`), 'utf8'));
  it('passes with a leader, every voting member healthy and no alarm (a learner does not vote)', () => {
    expect(etcd('healthy')).toMatchObject({ ok: true, detail: expect.stringMatching(/^3 of 3 voting members healthy, leader etcd\d$/) });
    expect(etcd('learner-healthy')).toMatchObject({ ok: true, detail: expect.stringMatching(/^3 of 3 voting members healthy, leader etcd\d$/) });
  });

  it('fails naming the member down, the lost leader, an alarm, or the endpoint that does not answer', () => {
    expect(etcd('member-down')).toEqual({ ok: false, detail: '2 of 3 voting members healthy; etcd2 down (connect: http://127.0.47.5:2379 refuses connections)' });
    expect(etcd('quorum-lost').detail).toMatch(/^0 of 3 voting members healthy; no leader, etcd1 down/);
    expect(etcd('nospace')).toMatchObject({ ok: false, detail: expect.stringContaining('alarm NOSPACE on') });
    expect(etcd('endpoint-down')).toMatchObject({ ok: false, detail: expect.stringMatching(/^no voting member known: .*refuses connections/) });
  });

  it('reads etcd through the host\'s etcd role, with the etcd probe\'s command', () => {
    const role = { endpoint: 'http://127.0.0.1:2379' };
    expect(serviceStateCommand({ etcd: 'healthy' }, { etcd: role })).toBe(etcdProbeCommand(role));
  });
});

describe('after a reload: the HAProxy answering must have started since', () => {
  // show-info-and-stat.txt: Uptime_sec 20, app/web1 DOWN 1/2, the backup sorry server UP.
  const poll: ServiceStatePoll = { haproxy: { backend: 'app', up: 1 }, reloadStamp: '/v/.reloaded-at' };
  it('the old process (started before the stamp) does not count', () => {
    const v = serviceStateVerdict(poll, reading('show-info-and-stat.txt', '@@baton:clock 1000 990'));
    expect(v).toEqual({ ok: false, detail: 'the HAProxy answering (pid 8234) started 10 s before the reload: not reloaded yet' });
  });

  it('the process started since the stamp (one second of rounding allowed) is judged', () => {
    expect(serviceStateVerdict(poll, reading('show-info-and-stat.txt', '@@baton:clock 1000 980')).ok).toBe(true);
    expect(serviceStateVerdict(poll, reading('show-info-and-stat.txt', '@@baton:clock 1000 981')).ok).toBe(true);
    expect(serviceStateVerdict(poll, reading('show-info-and-stat.txt', '@@baton:clock 1000 982')).ok).toBe(false);
  });

  it('no stamp on the host, or no uptime (the stats page has no show info), fails', () => {
    expect(serviceStateVerdict(poll, reading('show-info-and-stat.txt', '@@baton:clock 1000 ')).detail).toBe('no reload time on the host (/v/.reloaded-at unreadable)');
    expect(serviceStateVerdict(poll, reading('show-stat-states.csv', '@@baton:clock 1000 990')).detail).toMatch(/gives no uptime: cannot tell the reloaded process/);
  });

  it('the command prints the clock and the stamp before the probe, every value quoted', () => {
    const cmd = serviceStateCommand({ ...poll, reloadStamp: "/v/it's/.reloaded-at" }, { haproxy: { tcp: '127.0.0.1:9999' } });
    expect(cmd.split('\n')[0]).toBe(`bt_r=$(cat "/v/it's/.reloaded-at" 2>/dev/null); echo "@@baton:clock $(date +%s) $bt_r"`);
    expect(cmd).toContain("bt_h=127.0.0.1; bt_p=9999");
  });
});
