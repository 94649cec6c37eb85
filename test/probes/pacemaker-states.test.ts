// The Pacemaker probe on crm_mon 2.1.5 outputs of states the lab never
// reaches (test/fixtures/pacemaker/capture-states.sh), each checked against
// the text crm_mon prints for the same state.
import { describe, expect, it } from 'vitest';
import { pacemakerAlerts, pacemakerEvents } from '../../src/probes/pacemaker-alerts.js';
import { crmMonText, messages, placed, snapshot, xml } from './pacemaker-fixtures.js';

/** crm_mon's "Failed Resource Actions" lines: resource, node and exit reason as `crm_mon -1` prints them. */
function crmMonFailedActions(text: string): { resource: string; node: string; reason: string }[] {
  return [...text.matchAll(/^ {2}\* (\S+) \S+ \S+ on (\S+) returned '[^']*' \((.*)\) at .*$/gm)].map(([, resource, node, reason]) => ({ resource: resource!, node: node!, reason: reason! }));
}

describe('parsePacemakerProbe on states the lab never reaches (capture-states.sh)', () => {
  it('decodes numeric character references in every name, as crm_mon -1 prints them', () => {
    const s = snapshot('unicode-failures');
    expect(s.dc.name).toBe('nœud-é1');
    expect(s.nodes.map((n) => n.name)).toEqual(['node3', 'nœud-é1', 'nœud-é2']);
    expect(placed(s)).toContain('vip-ü:Started:node3');
    expect(s.resources.find((r) => r.id === 'db' && r.role === 'Promoted')?.nodes).toEqual(['nœud-é1']);
    expect(s.failures.map((f) => [f.resource, f.node, f.opKey])).toEqual([
      ['stack-b', 'nœud-é2', 'stack-b_monitor_10000'],
      ['vip-ü', 'node3', 'vip-ü_monitor_10000'],
    ]);
  });

  it("undoes crm_mon's second escaping of exit reasons where it applies it (up to the first non-ASCII character in 2.1.5)", () => {
    const s = snapshot('unicode-failures');
    const shown = crmMonFailedActions(crmMonText('unicode-failures'));
    expect(shown.map((a) => a.reason)).toEqual([
      'état \'dégradé\': <title>Service indisponible &amp; "bloqué"</title>',
      'Can\'t add "127.0.3.100/32" to lo: <EADDRINUSE> & \'retry\' later',
    ]);
    expect(s.failures.map((f) => ({ resource: f.resource, node: f.node, reason: f.exitReason }))).toEqual(shown);
    expect(messages(pacemakerAlerts(s))).toContainEqual(expect.stringContaining(`(${shown[1]!.reason})`));
  });

  it('puts each fail count on the clone instance of its node (plain, promotable and cloned-group clones)', () => {
    const s = snapshot('clone-failures');
    const counts = (id: string) => s.resources.filter((r) => r.id === id).map((r) => `${r.role}@${r.nodes.join('+') || '-'}:${r.failCounts.map((f) => `${f.count}@${f.node}`).join(',')}`);
    // crm_mon's migration summary: stack-a on nœud-é1, ping on nœud-é2 (where its instance stopped), db on node3.
    expect(crmMonText('clone-failures')).toMatch(/Node: nœud-é2:\n {4}\* ping: migration-threshold=1 fail-count=1/);
    expect(counts('ping')).toEqual(['Started@nœud-é1:', 'Started@node3:', 'Stopped@-:1@nœud-é2']);
    expect(counts('db')).toEqual(['Promoted@nœud-é1:', 'Unpromoted@nœud-é2:', 'Unpromoted@node3:1@node3']);
    expect(counts('stack-a')).toEqual(['Started@nœud-é1:1@nœud-é1', 'Started@nœud-é2:', 'Started@node3:']);
    expect(counts('stack-b')).toEqual(['Started@nœud-é1:', 'Started@nœud-é2:', 'Started@node3:']);
  });

  it('reads a ban with a lifetime from crm_mon (by its rule) and from the CIB (by its constraint)', () => {
    const s = snapshot('ban-lifetime', xml('ban-lifetime-constraints'));
    expect(crmMonText('ban-lifetime')).toContain('cli-ban-logger-on-nœud-é1-rule\tprevents logger from running on nœud-é1');
    expect(s.bans).toEqual([{ id: 'cli-ban-logger-on-nœud-é1-rule', resource: 'logger', node: 'nœud-é1', weight: -1_000_000, promotedOnly: false }]);
    expect(s.constraints).toEqual({
      kind: 'read',
      list: [{ id: 'cli-ban-logger-on-nœud-é1', rule: 'cli-ban-logger-on-nœud-é1-rule', kind: 'ban', resource: 'logger', node: 'nœud-é1', role: 'Started', score: -1_000_000, expires: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/) }],
    });
  });

  it('keeps what crm_mon says of a disabled resource, an orphan and an ignored failure', () => {
    const s = snapshot('disabled-orphan-ignored');
    const text = crmMonText('disabled-orphan-ignored');
    expect(text).toMatch(/idle\t\(ocf:pacemaker:Dummy\):\t Stopped \(disabled\)/);
    expect(text).toMatch(/logger\t\(ocf:pacemaker:Dummy\):\t Started nœud-é1 \(failure ignored\)/);
    expect(text).toMatch(/gone\t\(ocf:pacemaker:Dummy\):\t ORPHANED Started nœud-é2/);
    const flags = (id: string) => {
      const r = s.resources.find((x) => x.id === id)!;
      return { role: r.role, targetRole: r.targetRole, orphaned: r.orphaned, failureIgnored: r.failureIgnored };
    };
    expect(flags('idle')).toEqual({ role: 'Stopped', targetRole: 'Stopped', orphaned: false, failureIgnored: false });
    expect(flags('logger')).toEqual({ role: 'Started', targetRole: null, orphaned: false, failureIgnored: true });
    expect(flags('gone')).toEqual({ role: 'Started', targetRole: null, orphaned: true, failureIgnored: false });
    expect(s.failures).toEqual([expect.objectContaining({ resource: 'logger', node: 'nœud-é1', ignored: true })]);
  });

  it('an ignored failure is a warning, not a critical alert, and says it was ignored', () => {
    const s = snapshot('disabled-orphan-ignored');
    const [failure] = s.failures;
    expect(pacemakerAlerts(s)).toEqual([{ severity: 'warn', message: `logger_monitor_10000 failed on nœud-é1: error (Simulated action result) at ${failure!.time} (failure ignored)`, brief: 'logger failed' }]);
    const healthy = { ...s, failures: [], resources: s.resources.map((r) => ({ ...r, failureIgnored: false })) };
    expect(pacemakerEvents(healthy, s)).toEqual([{ severity: 'warn', message: `logger_monitor_10000 failed on nœud-é1: error (Simulated action result) at ${failure!.time} (failure ignored)` }]);
  });
});

