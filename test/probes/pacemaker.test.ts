// The Pacemaker probe on real crm_mon 2.1.5 XML (test/fixtures/pacemaker/
// capture.sh), its alerts and events between those states, the remote
// command run for real against a lab CIB, and random or cut input.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialCib } from '../../src/lab/pacemaker/cluster-definition.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe } from '../../src/probes/pacemaker.js';
import { pacemakerAlerts, pacemakerEvents } from '../../src/probes/pacemaker-alerts.js';
import { mangledText } from '../helpers/mangled-text.js';
import { messages, placed, probeOutput, section, snapshot, xml } from './pacemaker-fixtures.js';

describe('parsePacemakerProbe on real crm_mon output', () => {
  it('healthy: summary, nodes, resources with groups and clones', () => {
    const s = snapshot('healthy');
    expect(s).toMatchObject({
      stack: 'corosync',
      dc: { present: true, name: 'node1', version: '2.1.5-a3f44794f94' },
      withQuorum: true,
      maintenanceMode: false,
      stonithEnabled: false,
      lastUpdate: 'Sun Nov 22 03:49:06 2026',
      bans: [],
      failures: [],
      constraints: { kind: 'read', list: [] },
    });
    expect(s.nodes.map((n) => [n.name, n.id, n.state, n.isDc, n.resourcesRunning])).toEqual([
      ['node1', '1', 'online', true, 3],
      ['node2', '2', 'online', false, 1],
      ['node3', '3', 'online', false, 1],
    ]);
    expect(s.resources[0]).toEqual({
      id: 'web-vip', agent: 'ocf:heartbeat:IPaddr2', group: 'web-group', clone: null, role: 'Started', nodes: ['node1'],
      active: true, managed: true, failed: false, blocked: false, orphaned: false, failureIgnored: false, targetRole: null, failCounts: [], migrationThreshold: 1,
    });
    expect(placed(s)).toEqual(['web-vip:Started:node1', 'web-server:Started:node1', 'ping:Started:node1', 'ping:Started:node2', 'ping:Started:node3']);
    expect(s.resources.filter((r) => r.id === 'ping').map((r) => [r.clone, r.group, r.migrationThreshold])).toEqual(Array(3).fill(['ping-clone', null, 1_000_000]));
    expect(s.collections).toEqual([
      { id: 'web-group', kind: 'group', managed: true, disabled: false, promotable: false },
      { id: 'ping-clone', kind: 'clone', managed: true, disabled: false, promotable: false },
    ]);
  });

  it('node failed, quorum lost and standby', () => {
    const failed = snapshot('node-failed');
    expect(failed.dc.name).toBe('node2');
    expect(failed.nodes[0]).toMatchObject({ name: 'node1', state: 'offline', online: false, resourcesRunning: 0 });
    expect(placed(failed)).toEqual(['web-vip:Started:node2', 'web-server:Started:node2', 'ping:Started:node2', 'ping:Started:node3', 'ping:Stopped:']);
    const lost = snapshot('quorum-lost');
    expect([lost.withQuorum, lost.dc.name, lost.nodes.map((n) => n.state)]).toEqual([false, 'node3', ['offline', 'offline', 'online']]);
    expect(lost.resources.every((r) => r.role === 'Stopped' && !r.active && r.nodes.length === 0)).toBe(true);
    const standby = snapshot('node-standby');
    expect(standby.nodes[0]).toMatchObject({ name: 'node1', state: 'standby', online: true, standby: true, resourcesRunning: 0 });
  });

  it('resource failed: the failed action, fail count and migration threshold', () => {
    const s = snapshot('resource-failed');
    expect(s.failures).toEqual([
      {
        resource: 'web-server', node: 'node1', opKey: 'web-server_monitor_10000', task: 'monitor', exitStatus: 'not running',
        exitReason: 'Simulated action result', exitCode: 7, status: 'complete', time: '2026-11-22 03:49:06Z', ignored: false,
      },
    ]);
    expect(s.resources.find((r) => r.id === 'web-server')).toMatchObject({ nodes: ['node2'], failed: false, failCounts: [{ node: 'node1', count: 1 }], migrationThreshold: 1 });
  });

  it('a move leaves a cli-prefer constraint only the CIB shows; a ban shows in <bans>', () => {
    const moved = snapshot('resource-moved', xml('resource-moved-constraints'));
    expect(placed(moved).slice(0, 2)).toEqual(['web-vip:Started:node3', 'web-server:Started:node3']);
    expect(moved.bans).toEqual([]);
    expect(moved.constraints).toEqual({
      kind: 'read',
      list: [{ id: 'cli-prefer-web-group', rule: null, kind: 'prefer', resource: 'web-group', node: 'node3', role: 'Started', score: 1_000_000, expires: null }],
    });
    expect(snapshot('resource-banned').bans).toEqual([{ id: 'cli-ban-web-group-on-node1', resource: 'web-group', node: 'node1', weight: -1_000_000, promotedOnly: false }]);
  });

  it('reads a --lifetime move (a rule) and a promoted-only ban', () => {
    // Real output of cibadmin 2.1.5 after `crm_resource --move --lifetime PT1H` and `--ban --promoted`.
    const cib = `<constraints>
  <rsc_location id="cli-prefer-web-group" rsc="web-group" role="Started">
    <rule id="cli-prefer-rule-web-group" score="INFINITY" boolean-op="and">
      <expression id="cli-prefer-expr-web-group" attribute="#uname" operation="eq" value="node2" type="string"/>
      <date_expression id="cli-prefer-lifetime-end-web-group" operation="lt" end="2026-11-22 05:00:41Z"/>
    </rule>
  </rsc_location>
  <rsc_location id="cli-ban-ping-clone-on-node3" rsc="ping-clone" role="Promoted" node="node3" score="-INFINITY"/>
  <rsc_location id="keep-off" rsc="ping-clone" node="node1" score="-100"/>
</constraints>`;
    expect(snapshot('healthy', cib).constraints).toEqual({
      kind: 'read',
      list: [
        { id: 'cli-prefer-web-group', rule: 'cli-prefer-rule-web-group', kind: 'prefer', resource: 'web-group', node: 'node2', role: 'Started', score: 1_000_000, expires: '2026-11-22 05:00:41Z' },
        { id: 'cli-ban-ping-clone-on-node3', rule: null, kind: 'ban', resource: 'ping-clone', node: 'node3', role: 'Promoted', score: -1_000_000, expires: null },
      ],
    });
  });
});

describe('parsePacemakerProbe on a real corosync + pacemakerd cluster (capture-real-cluster.sh)', () => {
  it('healthy: the corosync stack, pacemakerd running, the DC and the started resource', () => {
    const s = snapshot('real-healthy');
    expect(s).toMatchObject({ stack: 'corosync', withQuorum: true, dc: { present: true, name: 'solo1' }, failures: [] });
    expect(s.nodes).toEqual([expect.objectContaining({ name: 'solo1', state: 'online', resourcesRunning: 1 })]);
    expect(placed(s)).toEqual(['solo-dummy:Started:solo1']);
  });

  it("a real monitor failure: the failed action as the controller recorded it, the fail count, the event", () => {
    const failed = snapshot('real-resource-failed');
    expect(failed.failures).toEqual([
      expect.objectContaining({ resource: 'solo-dummy', node: 'solo1', opKey: 'solo-dummy_monitor_2000', task: 'monitor', exitStatus: 'not running', exitCode: 7 }),
    ]);
    expect(failed.resources[0]).toMatchObject({ id: 'solo-dummy', role: 'Started', failCounts: [{ node: 'solo1', count: 1 }], migrationThreshold: 1000000 });
    expect(messages(pacemakerEvents(snapshot('real-healthy'), failed))).toContainEqual(expect.stringMatching(/^solo-dummy_monitor_2000 failed on solo1: not running/));
    expect(messages(pacemakerAlerts(failed))).toContainEqual(expect.stringContaining('solo-dummy'));
  });

  it('standby: the node stays online and its resource stops', () => {
    const s = snapshot('real-node-standby');
    expect(s.nodes[0]).toMatchObject({ name: 'solo1', state: 'standby', online: true, resourcesRunning: 0 });
    expect(s.resources[0]).toMatchObject({ id: 'solo-dummy', role: 'Stopped', active: false });
  });
});

describe('Pacemaker alerts and events', () => {
  it('alerts on offline nodes, lost quorum, failed actions and maintenance mode', () => {
    expect(pacemakerAlerts(snapshot('healthy'))).toEqual([]);
    expect(pacemakerAlerts(snapshot('node-standby'))).toEqual([]);
    expect(pacemakerAlerts(snapshot('node-failed'))).toEqual([{ severity: 'crit', message: 'node node1 is offline', brief: 'node1 offline' }]);
    expect(messages(pacemakerAlerts(snapshot('quorum-lost')))).toEqual(['cluster has no quorum', 'node node1 is offline', 'node node2 is offline']);
    expect(pacemakerAlerts(snapshot('resource-failed'))).toEqual([
      { severity: 'crit', message: 'web-server_monitor_10000 failed on node1: not running (Simulated action result) at 2026-11-22 03:49:06Z', brief: 'web-server failed' },
    ]);
    // The healthy capture with two attributes flipped, as crm_mon writes them.
    const edited = xml('healthy').replace('maintenance-mode="false"', 'maintenance-mode="true"').replace('failed="false"', 'failed="true"').replace('unclean="false"', 'unclean="true"');
    const r = parsePacemakerProbe(probeOutput(edited));
    expect(r.kind === 'snapshot' && pacemakerAlerts(r.snapshot)).toEqual([
      { severity: 'crit', message: 'node node1 is UNCLEAN (to be fenced)', brief: 'node1 UNCLEAN' },
      { severity: 'crit', message: 'resource web-vip FAILED on node1', brief: 'web-vip FAILED' },
      { severity: 'warn', message: 'cluster is in maintenance mode: Pacemaker manages no resource', brief: 'maintenance mode' },
    ]);
  });

  it('turns node, quorum and placement changes into events', () => {
    const healthy = snapshot('healthy');
    expect(pacemakerEvents(undefined, healthy)).toEqual([]);
    expect(pacemakerEvents(healthy, healthy)).toEqual([]);
    expect(pacemakerEvents(healthy, snapshot('node-failed'))).toEqual([
      { severity: 'crit', message: 'node node1 went offline', node: 'node1' },
      { severity: 'warn', message: 'resource web-vip moved: node1 -> node2' },
      { severity: 'warn', message: 'resource web-server moved: node1 -> node2' },
      { severity: 'warn', message: 'resource ping moved: node1, node2, node3 -> node2, node3' },
    ]);
    expect(messages(pacemakerEvents(snapshot('node-failed'), snapshot('quorum-lost')))).toEqual([
      'cluster lost quorum', 'node node2 went offline', 'resource web-vip stopped (was on node2)', 'resource web-server stopped (was on node2)', 'resource ping stopped (was on node2, node3)',
    ]);
    expect(messages(pacemakerEvents(snapshot('quorum-lost'), healthy))).toEqual([
      'cluster regained quorum', 'node node1 is online again', 'node node2 is online again',
      'resource web-vip started on node1', 'resource web-server started on node1', 'resource ping started on node1, node2, node3',
    ]);
    expect(messages(pacemakerEvents(healthy, snapshot('resource-moved')))).toEqual(['resource web-vip moved: node1 -> node3', 'resource web-server moved: node1 -> node3']);
  });

  it('reports a failure when it appears and when it is cleaned up', () => {
    const healthy = snapshot('healthy');
    const failed = snapshot('resource-failed');
    expect(pacemakerEvents(healthy, failed)).toContainEqual({
      severity: 'crit', message: 'web-server_monitor_10000 failed on node1: not running (Simulated action result) at 2026-11-22 03:49:06Z',
    });
    expect(pacemakerEvents(failed, healthy)).toContainEqual({ severity: 'info', message: 'failed action web-server_monitor_10000 on node1 cleared' });
    const r = parsePacemakerProbe(probeOutput(xml('healthy').replace('failed="false"', 'failed="true"')));
    const broken = r.kind === 'snapshot' ? r.snapshot : healthy;
    expect(pacemakerEvents(healthy, broken)).toEqual([{ severity: 'crit', message: 'resource web-vip FAILED on node1' }]);
    expect(pacemakerEvents(broken, healthy)).toEqual([{ severity: 'info', message: 'resource web-vip recovered' }]);
  });
});

describe('parsePacemakerProbe when crm_mon cannot answer', () => {
  it('says "unsupported" when crm_mon is too old for --output-as', () => {
    // How glibc's getopt words it for Pacemaker 1.1's crm_mon (hand-written).
    const out = section('crm_mon', '', 64, "crm_mon: unrecognized option '--output-as=xml'\ncrm_mon - Provides a summary of cluster's current state.") + section('constraints', '<constraints/>');
    expect(parsePacemakerProbe(out)).toEqual({
      kind: 'unsupported',
      message: "pacemaker: this host's crm_mon has no XML output (Pacemaker too old for --output-as=xml): crm_mon: unrecognized option '--output-as=xml'",
    });
  });

  it('quotes crm_mon when there is no cluster to report on', () => {
    // Real crm_mon 2.1.5 output on a machine where the cluster is not running.
    const notConnected = `<pacemaker-result api-version="2.25" request="crm_mon --output-as=xml">
  <status code="102" message="Not connected">
    <errors>
      <error>error: Could not connect to launcher: Connection refused</error>
      <error>crm_mon: Connection to cluster failed: Connection refused</error>
    </errors>
  </status>
</pacemaker-result>`;
    expect(parsePacemakerProbe(section('crm_mon', notConnected, 102))).toEqual({
      kind: 'parse-error',
      message: 'pacemaker: crm_mon: no cluster status (Not connected, code 102): error: Could not connect to launcher: Connection refused; crm_mon: Connection to cluster failed: Connection refused',
      raw: expect.stringMatching(/^<pacemaker-result/),
    });
    expect(parsePacemakerProbe(section('crm_mon', '', 127, 'sh: 1: crm_mon: not found'))).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('not installed'), raw: 'sh: 1: crm_mon: not found' });
    expect(parsePacemakerProbe('')).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('@@baton:crm_mon') });
    expect(parsePacemakerProbe(section('crm_mon', xml('healthy').slice(0, 2000)))).toMatchObject({ kind: 'parse-error', message: expect.stringMatching(/not well-formed/) });
  });

  it('keeps the crm_mon snapshot when cibadmin fails', () => {
    // Real cibadmin 2.1.5 stderr without a running cluster.
    const out = section('crm_mon', xml('healthy')) + section('constraints', '', 102, 'Could not connect to the CIB: Transport endpoint is not connected\nInit failed, could not perform requested operations');
    const r = parsePacemakerProbe(out);
    expect(r.kind === 'snapshot' && r.snapshot.constraints).toEqual({ kind: 'unavailable', message: 'cibadmin exited 102: Could not connect to the CIB: Transport endpoint is not connected' });
    expect(parsePacemakerProbe(section('crm_mon', xml('healthy'))).kind === 'snapshot').toBe(true);
  });

  it('never throws on random, cut or mutated output', () => {
    const real = probeOutput(xml('resource-failed'), xml('resource-moved-constraints'));
    const text = mangledText(real);
    fc.assert(
      fc.property(text, (t) => {
        const r = parsePacemakerProbe(t);
        expect(['snapshot', 'parse-error', 'unsupported']).toContain(r.kind);
        if (r.kind !== 'snapshot') expect(r.message.length).toBeGreaterThan(0);
        if (r.kind === 'parse-error') expect(typeof r.raw).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});

const hasPacemaker = spawnSync('sh', ['-c', 'command -v crm_mon && command -v crm_simulate && command -v cibadmin']).status === 0;

describe.skipIf(!hasPacemaker)('the remote command against a real CIB', () => {
  it('runs under sh and parses, constraints included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-pcmk-'));
    try {
      const env = { ...process.env, CIB_file: join(dir, 'cib.xml') };
      writeFileSync(env.CIB_file, initialCib());
      execFileSync('crm_simulate', ['--simulate', '--xml-file', env.CIB_file, '--node-up', 'node1', '--node-up', 'node2', '--quorum', '1', '--save-output', env.CIB_file], { env, stdio: 'ignore' });
      execFileSync('crm_resource', ['--move', '--resource', 'web-group', '--node', 'node2'], { env, stdio: 'ignore' });
      const r = parsePacemakerProbe(execFileSync('sh', ['-c', PACEMAKER_PROBE_COMMAND], { env, encoding: 'utf8' }));
      if (r.kind !== 'snapshot') throw new Error(r.kind === 'parse-error' ? `${r.message}\n${r.raw}` : r.message);
      expect(r.snapshot.nodes.map((n) => n.state)).toEqual(['online', 'online', 'offline']);
      expect(r.snapshot.constraints).toMatchObject({ kind: 'read', list: [{ id: 'cli-prefer-web-group', node: 'node2' }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
