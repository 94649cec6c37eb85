// Drill files: the shipped ones load; mistakes are reported at
// file:line:column with what was found and, for a key, the close match.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDrills, parseDrill } from '../../../src/ops/drills/load-drill.js';

const DRILLS = join(import.meta.dirname, '../../../drills');

const minimal = (extra = '') => `name: t
traffic:
  - name: web
    http: http://127.0.0.1:1/
inject:
  lab_fail: app:web2
${extra}`;

const errorsOf = (text: string) => {
  const r = parseDrill('d.yaml', text);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('drill files', () => {
  it('every shipped drill loads, with the lab fault or action it names', () => {
    const loads = listDrills([DRILLS]);
    expect(loads.map((l) => l.file.split('/').pop())).toEqual(readdirSync(DRILLS).filter((n) => n.endsWith('.yaml')).sort());
    for (const l of loads) expect(l.ok ? [] : l.errors.map((e) => e.message)).toEqual([]);
    expect(loads.map((l) => (l.ok ? l.drill.name : '')).sort()).toEqual(['lab-etcd-leader', 'lab-pacemaker-node', 'lab-queue-consumers', 'lab-web-app']);
  });

  it('reads durations with units and seconds as numbers, and fills the defaults', () => {
    const r = parseDrill('d.yaml', minimal('expect:\n  - haproxy: { server: web/web2, state: DOWN }\n    within: 1.5\nobserve: 250ms\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.drill.expect[0]!.within).toBe(1500);
    expect(r.drill.observe).toBe(250);
    expect(r.drill.traffic[0]).toMatchObject({ rate: 10, timeout: 1000, slow: 500 });
    expect(r.drill.inject.settle).toBe(2000);
    expect(r.drill.budget.recovered_above).toBe(95);
  });

  it('an unknown key is located, with the keys allowed there and the close match', () => {
    const errs = parseDrill('d.yaml', minimal('budgte: { rto: 3s }\n'));
    expect(errs.ok).toBe(false);
    if (errs.ok) return;
    expect(errs.errors[0]!.message).toMatch(/^d\.yaml:7:1: budgte: unknown key; expected one of name, description, traffic, inject, expect, restore, abort_if, budget, observe/);
    expect(errs.errors[0]!.hint).toBe('did you mean "budget"?');
    const nested = errorsOf(minimal('expect:\n  - haproxy: { server: web/web2, state: DOWN }\n    withn: 3s\n'));
    expect(nested.some((m) => /^d\.yaml:9:5: expect\[0\]\.withn: unknown key; expected one of name, pacemaker, haproxy/.test(m))).toBe(true);
  });

  it('a bad value says where and what it got', () => {
    expect(errorsOf(minimal('observe: 3 seconds\n'))).toEqual(['d.yaml:7:10: observe: expected a duration such as 500ms, 3s or 2m, got "3 seconds"']);
    expect(errorsOf(minimal().replace('http: http://127.0.0.1:1/', 'http: 127.0.0.1'))[0]).toMatch(/^d\.yaml:4:11: traffic\[0\]\.http: expected an http/);
  });

  it('refuses a probe with two kinds, an expect without a deadline, a condition naming no probe, two faults', () => {
    expect(errorsOf(minimal().replace('    http: http://127.0.0.1:1/', '    http: http://127.0.0.1:1/\n    tcp: 127.0.0.1:1'))[0]).toMatch(/traffic\[0\].*exactly one of http, tcp, redis, etcd_put/);
    expect(errorsOf(minimal('expect:\n  - etcd: { new_leader: true }\n'))).toEqual(['d.yaml:8:5: expect[0]: needs within: (the deadline, e.g. 30s)']);
    expect(errorsOf(minimal('abort_if:\n  - traffic: { probe: vpi, below: 50 }\n'))[0]).toMatch(/^d\.yaml:8:23: abort_if\[0\]\.traffic\.probe: no traffic probe named vpi; the drill has web/);
    expect(errorsOf(minimal('').replace('  lab_fail: app:web2', '  lab_fail: app:web2\n  haproxy_maint: web/web2'))[0]).toMatch(/^d\.yaml:6:3: inject: inject needs exactly one of/);
  });

  it('a fault with no undo of its own needs restore steps; one that has one gets it', () => {
    const kill = minimal().replace('  lab_fail: app:web2', '  kill: { host: web2, pattern: nginx }');
    expect(errorsOf(kill)[0]).toMatch(/^d\.yaml:6:3: inject: this fault has no undo of its own: give restore:/);
    expect(errorsOf(`${kill}restore:\n  - command: { host: web2, run: systemctl start nginx }\n`)).toEqual([]);
    expect(errorsOf(minimal().replace('  lab_fail: app:web2', '  iptables_block: { host: web2, port: 8080 }'))).toEqual([]);
  });

  it('YAML syntax errors come with their position', () => {
    expect(errorsOf('name: [t\n')[0]).toMatch(/^d\.yaml:\d+:\d+: YAML syntax/);
  });
});
