// Per-server request and 5xx counters from a real haproxy 2.6 under traffic
// (test/fixtures/haproxy/capture-traffic.sh): the Deploy pane's rates come
// from the difference between two refreshes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHaproxyProbe } from '../../src/probes/haproxy.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/haproxy', name), 'utf8');

describe('haproxy show stat counters', () => {
  it('reads req_tot and hrsp_5xx of each server', () => {
    const r = parseHaproxyProbe(`@@baton:via socat unix socket\n${fixture('show-info.txt')}\n${fixture('show-stat-traffic-2.csv')}`);
    if (r.kind !== 'snapshot') throw new Error(r.message);
    const servers = r.snapshot.backends.find((b) => b.name === 'app')!.servers;
    expect(servers.map((s) => [s.name, s.statusText, s.weight, s.requests, s.responses5xx])).toEqual([
      ['web1', 'UP', 100, 364, 0],
      ['web2', 'UP', 22, 80, 27],
      ['web3', 'DRAIN', 100, 0, 0],
    ]);
  });
});
