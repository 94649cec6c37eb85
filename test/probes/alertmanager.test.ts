// The alerts probe on the real Alertmanager 0.25 and Prometheus 2.42 output
// (test/fixtures/alerts, capture.sh): states, silences, rules, the merge,
// the host an alert names, events; properties: never throws, the merge keeps
// each label set once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HostSpec } from '../../src/inventory/types.js';
import { alertsProbeCommand } from '../../src/probes/alertmanager-command.js';
import { alertHostId, alertKey, alertsEvents, alertsNotices, mergeAlerts } from '../../src/probes/alertmanager-alerts.js';
import { parseSilenceCreated, type ExternalAlert } from '../../src/probes/alertmanager-json.js';
import { parseAlertsProbe, type AlertsSnapshot } from '../../src/probes/alertmanager.js';

const DIR = join(import.meta.dirname, '../fixtures/alerts');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');

function snapshot(file: string): AlertsSnapshot {
  const r = parseAlertsProbe(fixture(file));
  if (r.kind !== 'snapshot') throw new Error(`${file}: ${r.message}`);
  return r.snapshot;
}

describe('parseAlertsProbe on real output', () => {
  const full = snapshot('probe-full.txt');

  it("reads Alertmanager's alerts: active, silenced and inhibited, with labels, annotations, startsAt, generatorURL", () => {
    const am = full.alertmanager!;
    expect(am.url).toBe('http://127.0.18.1:19093');
    expect(am.alerts.map((a) => [a.name, a.severity, a.state])).toEqual([
      ['Watchdog', 'warning', 'silenced'],
      ['BackendServerDownInfo', 'info', 'inhibited'],
      ['BackendServerDown', 'critical', 'firing'],
    ]);
    const down = am.alerts[2]!;
    expect(down.labels).toEqual({ alertname: 'BackendServerDown', instance: '127.0.18.1:19099', job: 'dead', severity: 'critical' });
    expect(down.annotations.summary).toBe('127.0.18.1:19099 does not answer');
    expect(down.startsAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(down.generatorURL).toContain('/graph?g0.expr=');
    expect(am.alerts[0]!.silencedBy).toEqual([am.silences[0]!.id]);
    expect(am.alerts[1]!.inhibitedBy).toEqual([down.fingerprint]);
  });

  it('reads the silences, active and expired, with their matchers', () => {
    expect(full.alertmanager!.silences.map((s) => [s.state, s.createdBy, s.comment, s.matchers])).toEqual([
      ['active', 'capture', 'silenced by capture.sh', [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: true }]],
      ['expired', 'capture', 'expired at once', [{ name: 'alertname', value: 'BackendServerDown', isRegex: false, isEqual: true }]],
    ]);
  });

  it("reads Prometheus's alerts (pending apart from firing) and its alerting rules", () => {
    const prom = full.prometheus!;
    expect(prom.alerts.map((a) => [a.name, a.state])).toEqual([
      ['BackendServerDown', 'firing'],
      ['BackendServerDownInfo', 'firing'],
      ['Watchdog', 'firing'],
      ['PrometheusUpLong', 'pending'],
    ]);
    expect(prom.rules.map((r) => [r.name, r.state, r.forSeconds, r.active])).toEqual([
      ['BackendServerDown', 'firing', 0, 1],
      ['BackendServerDownInfo', 'firing', 0, 1],
      ['Watchdog', 'firing', 0, 1],
      ['PrometheusUpLong', 'pending', 3600, 1],
      ['NeverFires', 'inactive', 0, 0],
    ]);
  });

  it("merges: Alertmanager's view of each alert, Prometheus's pending ones, worst first", () => {
    expect(mergeAlerts([full]).map((a) => [a.source, a.name, a.state])).toEqual([
      ['alertmanager', 'BackendServerDown', 'firing'],
      ['alertmanager', 'BackendServerDownInfo', 'inhibited'],
      ['alertmanager', 'Watchdog', 'silenced'],
      ['prometheus', 'PrometheusUpLong', 'pending'],
    ]);
  });

  it("keeps Prometheus's firing alerts while Alertmanager does not answer, and says why", () => {
    const down = snapshot('probe-am-down.txt');
    expect(down.alertmanager?.error).toMatch(/^Failed to connect to 127\.0\.18\.1 port 19093/);
    expect(mergeAlerts([down]).map((a) => [a.source, a.state])).toContainEqual(['prometheus', 'firing']);
    expect(alertsNotices(down)[0]).toMatchObject({ severity: 'warn', message: expect.stringContaining('http://127.0.18.1:19093: Failed to connect') });
  });

  it('reads one API alone; a trailing slash in the URL does not double', () => {
    expect(snapshot('probe-alertmanager-only.txt').prometheus).toBeUndefined();
    const prom = snapshot('probe-prometheus-only.txt');
    expect(prom.alertmanager).toBeUndefined();
    expect(prom.prometheus?.url).toBe('http://127.0.18.1:19090');
    expect(alertsProbeCommand({ prometheus: { url: 'http://x:9090/' } })).toContain('endpoint prom-alerts http://x:9090/api/v1/alerts');
  });

  it('is a parse error when nothing answered: a URL that is no Alertmanager (404), no curl', () => {
    const wrong = parseAlertsProbe(fixture('probe-wrong-url.txt'));
    expect(wrong).toMatchObject({ kind: 'parse-error', message: 'http://127.0.18.1:19090: The requested URL returned error: 404' });
    expect(parseAlertsProbe(fixture('probe-no-curl.txt'))).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(/^no curl on the host/) });
  });

  it("reads the silence id POST /api/v2/silences answers", () => {
    expect(parseSilenceCreated(fixture('silence-post.json'))).toEqual({ ok: true, value: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(parseSilenceCreated('{"error":"x"}')).toMatchObject({ ok: false });
  });
});

describe('alerts: notices, events and hosts', () => {
  const full = snapshot('probe-full.txt');
  const withoutDown: AlertsSnapshot = { ...full, alertmanager: { ...full.alertmanager!, alerts: full.alertmanager!.alerts.filter((a) => a.name !== 'BackendServerDown') } };
  const fullFiltered = { ...withoutDown, prometheus: { ...full.prometheus!, alerts: full.prometheus!.alerts.filter((a) => a.name !== 'BackendServerDown') } };

  it('notices only what fires unsilenced', () => {
    expect(alertsNotices(full).map((n) => [n.severity, n.brief])).toEqual([['crit', 'BackendServerDown']]);
  });

  it('an alert that starts firing, then resolves, is an event each time; pending is not firing', () => {
    expect(alertsEvents(fullFiltered, full).map((n) => n.message)).toEqual(['alert starts firing: BackendServerDown (critical) on 127.0.18.1:19099: 127.0.18.1:19099 does not answer']);
    expect(alertsEvents(full, fullFiltered).map((n) => [n.severity, n.message])).toEqual([['info', 'alert resolved: BackendServerDown (critical) on 127.0.18.1:19099: 127.0.18.1:19099 does not answer']]);
    expect(alertsEvents(full, full)).toEqual([]);
  });

  it('a failed reading resolves nothing', () => {
    const failed: AlertsSnapshot = { alertmanager: { url: 'x', alerts: [], silences: [], error: 'refused' } };
    expect(alertsEvents(snapshot('probe-alertmanager-only.txt'), failed)).toEqual([]);
  });

  it('finds the host an alert names: host labels before the exporter instance, the port dropped, never a guess', () => {
    const host = (id: string, address: string) => ({ id, address }) as HostSpec;
    const hosts = [host('lb1', '127.0.3.10'), host('web2', '127.0.3.12'), host('db1.example.net', '10.0.0.9')];
    expect(alertHostId({ labels: { instance: '127.0.3.10:8405', server: 'web2' } }, hosts)).toBe('web2');
    expect(alertHostId({ labels: { instance: '127.0.3.10:8405' } }, hosts)).toBe('lb1');
    expect(alertHostId({ labels: { instance: 'db1:9100' } }, hosts)).toBe('db1.example.net');
    expect(alertHostId({ labels: { instance: '[::1]:9100' } }, hosts)).toBeUndefined();
    expect(alertHostId({ labels: { instance: '127.0.3:1' } }, hosts)).toBeUndefined();
  });
});

describe('properties', () => {
  const pieces = fc.oneof(
    fc.string(),
    fc.constantFrom('@@baton:endpoint am-alerts http://x/api/v2/alerts', '@@baton:endpoint prom-alerts http://y/api/v1/alerts', '@@baton:am-alerts', '@@baton:prom-rules', '@@baton:stderr', '@@baton:exit 0', '@@baton:exit 7', '@@baton:none', '[]', '{"status":"success","data":{"alerts":[]}}', '[{"labels":{}}]', 'null'),
  );

  it('never throws, and a parse error carries at most 300 characters of raw output', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const r = parseAlertsProbe(parts.join('\n'));
        if (r.kind === 'parse-error') expect(r.raw.length).toBeLessThanOrEqual(300);
      }),
    );
  });

  const label = fc.constantFrom('alertname', 'severity', 'instance', 'job');
  const alert = fc.record({
    source: fc.constantFrom('alertmanager' as const, 'prometheus' as const),
    labels: fc.dictionary(label, fc.constantFrom('a', 'b', 'critical')),
    state: fc.constantFrom('firing' as const, 'pending' as const, 'silenced' as const, 'inhibited' as const),
  });

  it('the merge keeps each label set once, preferring what Alertmanager says', () => {
    fc.assert(
      fc.property(fc.array(alert, { maxLength: 10 }), (list) => {
        const full = list.map((a): ExternalAlert => ({ ...a, name: a.labels.alertname ?? '', severity: a.labels.severity ?? '', startsAt: '', annotations: {}, silencedBy: [], inhibitedBy: [] }));
        const snap: AlertsSnapshot = {
          alertmanager: { url: 'a', silences: [], alerts: full.filter((a) => a.source === 'alertmanager') },
          prometheus: { url: 'p', rules: [], alerts: full.filter((a) => a.source === 'prometheus') },
        };
        const merged = mergeAlerts([snap]);
        const keys = merged.map(alertKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(new Set(keys)).toEqual(new Set(full.map(alertKey)));
        for (const m of merged) if (full.some((a) => a.source === 'alertmanager' && alertKey(a) === alertKey(m))) expect(m.source).toBe('alertmanager');
      }),
    );
  });
});
