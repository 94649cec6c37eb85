// The status strip from store state: one segment per configured service
// kind, the worst of its services named, control characters shown as text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVICE_KINDS, serviceId, type ServiceKind, type ServicesState, type ServiceState } from '../../src/store/services.js';
import { STRIP_LABELS, STRIP_STATES, stripSegments, stripText, type StripState } from '../../src/ui/status-strip/strip-segments.js';
import { INTERVAL, T0 } from './fixtures.js';
import { haproxySnapshot, haproxyUpdate, serviceStore, type ServiceDecl } from './service-fixtures.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

const services = (list: ServiceState[]): ServicesState => Object.fromEntries(list.map((s) => [serviceId(s.kind, s.key), s]));
const fresh = (kind: ServiceKind, key: string, extra: Partial<ServiceState> = {}): ServiceState => ({
  kind,
  key,
  candidates: [key],
  snapshot: {},
  updatedAt: T0,
  alerts: [],
  ...extra,
});

describe('stripSegments', () => {
  it('reads as the issue shows it: ok kinds, and the worst service of a kind with its problems', () => {
    const state = services([
      fresh('pacemaker', 'ha-web'),
      fresh('haproxy', 'lb1'),
      fresh('haproxy', 'lb2', { alerts: [{ severity: 'crit', message: 'web/web2 is DOWN' }] }),
      fresh('etcd', 'etcd-main'),
      fresh('queues', 'broker1', { alerts: [{ severity: 'warn', message: 'jobs: 900 waiting (over 500)' }] }),
    ]);
    const segments = stripSegments(state, T0, INTERVAL);
    expect(stripText(segments)).toBe('PCMK ok · HAP lb2 1 alert · etcd ok · Q broker1 1 alert');
    expect(stripText(segments, true)).toBe('PCMK ok · HAP 1 alert · etcd ok · Q 1 alert');
    expect(segments.map((s) => s.state)).toEqual(['ok', 'crit', 'ok', 'warn']);
  });

  it('says which state each kind is in, as the pane shows it: waiting, a failed poll, stale data', () => {
    const state = services([
      { kind: 'pacemaker', key: 'ha-web', candidates: ['db01'], alerts: [] },
      fresh('etcd', 'etcd-main', { error: { message: 'no member answered', at: T0 } }),
      fresh('nginx', 'lb1', { updatedAt: T0 - 10 * INTERVAL }),
      fresh('queues', 'b1', { alerts: [{ severity: 'info', message: 'jobs: consumers back' }] }),
    ]);
    expect(stripText(stripSegments(state, T0, INTERVAL))).toBe('PCMK waiting · etcd etcd-main poll failed · NGINX lb1 stale · Q ok');
    expect(stripSegments(state, T0, INTERVAL).map((s) => s.state)).toEqual(['waiting', 'crit', 'warn', 'ok']);
  });

  it('names the other services of a kind in trouble by count', () => {
    const crit = { severity: 'crit' as const, message: 'down' };
    const state = services([fresh('haproxy', 'lb1', { alerts: [crit] }), fresh('haproxy', 'lb2', { alerts: [crit, crit] }), fresh('haproxy', 'lb3')]);
    expect(stripText(stripSegments(state, T0, INTERVAL))).toBe('HAP lb2 2 alerts +1 more');
  });

  it('has nothing to say without services', () => {
    expect(stripSegments({}, T0, INTERVAL)).toEqual([]);
    expect(stripText([])).toBe('');
  });

  it('takes HAProxy state from the real probe: a DOWN server in the capture is a crit alert, named in its own words', () => {
    const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
    const store = serviceStore([LB]);
    store.getState().applyServiceUpdates([haproxyUpdate(LB, 'show-stat-down.csv')], []);
    const [hap] = stripSegments(store.getState().services, T0, INTERVAL);
    expect(haproxySnapshot('show-stat-down.csv').backends.some((b) => b.servers.some((s) => s.state === 'down'))).toBe(true);
    expect(hap).toMatchObject({ label: 'HAP', state: 'crit' });
    expect(hap!.text).toBe('web1 DOWN +1 alert');
    expect(hap!.short).toBe('web1 DOWN');
  });

  const severity = fc.constantFrom('info' as const, 'warn' as const, 'crit' as const);
  const service = fc.record({
    kind: fc.constantFrom(...SERVICE_KINDS),
    key: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    snapshot: fc.option(fc.constant({}), { nil: undefined }),
    age: fc.nat(10 * INTERVAL),
    error: fc.boolean(),
    alerts: fc.array(severity, { maxLength: 4 }),
  });
  const state = fc.array(service, { maxLength: 12 }).map((list) =>
    services(
      list.map((s) => ({
        kind: s.kind,
        key: s.key,
        candidates: [],
        snapshot: s.snapshot,
        updatedAt: s.snapshot === undefined ? undefined : T0 - s.age,
        error: s.error ? { message: 'failed', at: T0 } : undefined,
        alerts: s.alerts.map((a) => ({ severity: a, message: a })),
      })),
    ),
  );

  // The state one service alone gives its kind.
  const alone = (s: ServiceState): StripState => stripSegments(services([s]), T0, INTERVAL)[0]!.state;

  it('every configured kind appears exactly once, in a fixed order; the worst service decides', () => {
    fc.assert(
      fc.property(state, (st) => {
        const segments = stripSegments(st, T0, INTERVAL);
        const configured = SERVICE_KINDS.filter((k) => Object.values(st).some((s) => s.kind === k));
        expect(segments.map((s) => s.kind)).toEqual(configured);
        for (const seg of segments) {
          expect(seg.label).toBe(STRIP_LABELS[seg.kind]);
          const worst = Math.max(...Object.values(st).filter((s) => s.kind === seg.kind).map((s) => STRIP_STATES.indexOf(alone(s))));
          expect(STRIP_STATES.indexOf(seg.state)).toBe(worst);
        }
        const text = stripText(segments);
        for (const seg of segments) expect(text.split(' · ').filter((part) => part.startsWith(`${seg.label} `))).toHaveLength(1);
      }),
    );
  });

  it('names come from the store with control characters shown as text', () => {
    fc.assert(
      fc.property(state, (st) => {
        const text = stripText(stripSegments(st, T0, INTERVAL));
        expect(text).not.toMatch(CONTROL);
      }),
    );
    const evil = services([fresh('haproxy', 'lb\x1b]0;pwned\x07', { alerts: [{ severity: 'crit', message: 'x' }] })]);
    expect(stripText(stripSegments(evil, T0, INTERVAL))).toBe('HAP lb^[]0;pwned^G 1 alert');
  });

  it('a single service: a crit alert beats a warn, a failed poll is crit, stale is warn, no data is waiting', () => {
    expect(alone(fresh('etcd', 'e', { alerts: [{ severity: 'warn', message: 'w' }, { severity: 'crit', message: 'c' }] }))).toBe('crit');
    expect(alone(fresh('etcd', 'e', { error: { message: 'x', at: T0 } }))).toBe('crit');
    expect(alone(fresh('etcd', 'e', { updatedAt: T0 - 4 * INTERVAL }))).toBe('warn');
    expect(alone(fresh('etcd', 'e', { updatedAt: T0 - 3 * INTERVAL }))).toBe('ok');
    expect(alone({ kind: 'etcd', key: 'e', candidates: [], alerts: [] })).toBe('waiting');
  });
});
