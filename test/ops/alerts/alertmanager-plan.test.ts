// The alertmanager actions' planners on the real Alertmanager reading
// (test/fixtures/alerts): matchers from the labels, the operator in the
// comment, refusals for what matches nothing or is already expired; the
// JSON body reaches curl's stdin byte for byte whatever the comment holds.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { alertmanagerActions, parseSilenceDuration } from '../../../src/ops/alerts/alertmanager-actions.js';
import { deleteSilenceCommand, postSilenceCommand } from '../../../src/ops/alerts/alertmanager-curl.js';
import { planAlertmanager, type AlertmanagerArgs } from '../../../src/ops/alerts/alertmanager-plan.js';
import type { AlertmanagerFacts } from '../../../src/ops/alerts/alerts-observe.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import type { PlanContext, Refusal } from '../../../src/ops/engine/registry.js';
import { parseAlertsProbe } from '../../../src/probes/alertmanager.js';
import { createBatonStore } from '../../../src/store/store.js';

const snapshot = (() => {
  const r = parseAlertsProbe(readFileSync(join(import.meta.dirname, '../../fixtures/alerts/probe-full.txt'), 'utf8'));
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot.alertmanager!;
})();
const facts: AlertmanagerFacts = { hostId: 'mon1', url: snapshot.url, alerts: snapshot.alerts, silences: snapshot.silences };
const inventory = { name: 't', format: 'baton' as const, file: 't.yaml', hosts: [], groups: {} };
const NOW = Date.parse('2026-12-03T20:00:00Z');
const ctx: PlanContext<AlertmanagerFacts> = { state: createBatonStore(inventory).getState(), inventory, now: NOW, who: { user: 'alice', host: 'ops1', pid: 1 }, newId: () => 'id', facts };
const [silence, expire] = alertmanagerActions;
const plan = (args: AlertmanagerArgs) => planAlertmanager(ctx, args);
const isPlan = (p: Plan | Refusal): p is Plan => !('refused' in p);

describe('alertmanager.silence', () => {
  it('silences what matches the labels, for the duration, with the operator in the comment', () => {
    const args = silence!.parseArgs(['alertname=BackendServerDown', 'instance=127.0.18.1:19099'], { duration: '30m', comment: 'web2 under repair' });
    const p = plan(args);
    if (!isPlan(p)) throw new Error(p.reason);
    expect(p.title).toBe('alertmanager silence BackendServerDown for 30 min');
    expect(p.targets).toEqual(['mon1']);
    expect(p.args.body).toEqual({
      matchers: [
        { name: 'alertname', value: 'BackendServerDown', isRegex: false, isEqual: true },
        { name: 'instance', value: '127.0.18.1:19099', isRegex: false, isEqual: true },
      ],
      startsAt: '2026-12-03T20:00:00.000Z',
      endsAt: '2026-12-03T20:30:00.000Z',
      createdBy: 'alice@ops1',
      comment: 'web2 under repair (alice@ops1)',
    });
  });

  it('refuses labels no alert has, and bad arguments', () => {
    expect(plan(silence!.parseArgs(['alertname=Nope'], {}))).toMatchObject({ refused: true, reason: 'no alert in Alertmanager matches alertname="Nope"' });
    expect(() => silence!.parseArgs([], {})).toThrow(/needs the alert's labels/);
    expect(() => silence!.parseArgs(['not a label'], {})).toThrow(/NAME=VALUE/);
    expect(() => parseSilenceDuration('10s')).toThrow(/1m to 30d/);
    expect(parseSilenceDuration('2h')).toBe(7_200_000);
  });
});

describe('alertmanager.expire', () => {
  it('expires an active silence; refuses an unknown or expired one', () => {
    const active = snapshot.silences.find((s) => s.state === 'active')!;
    const p = plan(expire!.parseArgs([active.id], {}));
    if (!isPlan(p)) throw new Error(p.reason);
    expect(p.changes[0]).toMatchObject({ what: `silence ${active.id}`, after: 'expired' });
    expect(p.changes[0]!.before).toContain('1 alert held');
    expect(p.steps[0]!.spec).toEqual({ kind: 'command', command: deleteSilenceCommand(facts.url, active.id) });
    const expired = snapshot.silences.find((s) => s.state === 'expired')!;
    expect(plan(expire!.parseArgs([expired.id], {}))).toMatchObject({ refused: true, reason: expect.stringContaining('already expired') });
    expect(plan(expire!.parseArgs(['0000'], {}))).toMatchObject({ refused: true });
    expect(() => expire!.parseArgs(['$(reboot)'], {})).toThrow(/one silence id/);
  });
});

describe('the silence body on stdin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-am-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A curl that records its stdin and arguments, to see what the shell gave it.
  writeFileSync(join(dir, 'curl'), '#!/bin/sh\ncat >"$CAPTURE"\nprintf "%s\\n" "$@" >"$CAPTURE.args"\n');
  chmodSync(join(dir, 'curl'), 0o755);

  it('reaches curl byte for byte, whatever the comment and labels hold', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 20 }), (comment, value) => {
        const body = { matchers: [{ name: 'alertname', value, isRegex: false, isEqual: true }], startsAt: 'a', endsAt: 'b', createdBy: 'u@h', comment };
        const capture = join(dir, 'stdin');
        execFileSync('sh', ['-c', postSilenceCommand('http://127.0.0.1:9093/', body)], { env: { PATH: `${dir}:/usr/bin:/bin`, CAPTURE: capture } });
        expect(JSON.parse(readFileSync(capture, 'utf8'))).toEqual(body);
        expect(readFileSync(`${capture}.args`, 'utf8')).toContain('http://127.0.0.1:9093/api/v2/silences\n');
      }),
      { numRuns: 60 },
    );
  });
});
