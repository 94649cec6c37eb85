// The lab's etcd: the endpoint status parser on output captured from etcdctl
// 3.4.23 (the leader's id swapped for 17237436991929493444, far above 2^53),
// then a real 3-member cluster driven with the real etcdctl.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLeader, parseEndpointStatus, type EndpointStatus } from '../../src/lab/etcd/endpoint-status.js';
import { EtcdComponent } from '../../src/lab/etcd/etcd-component.js';
import { epochMs } from '../../src/lab/component.js';
import { LAB_ETCD } from '../../src/lab/layout.js';
import { testLabContext } from '../helpers/lab-context.js';
import { processesMentioning } from '../helpers/processes.js';

const BIG_ID = '17237436991929493444';
const CAPTURED = `[{"Endpoint":"http://127.0.3.6:2379","Status":{"header":{"cluster_id":15823811201220227063,"member_id":2551764993124171851,"revision":1,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":${BIG_ID},"raftIndex":8,"raftTerm":2,"raftAppliedIndex":8,"dbSizeInUse":16384}},{"Endpoint":"http://127.0.3.4:2379","Status":{"header":{"cluster_id":15823811201220227063,"member_id":5886697775907429131,"revision":1,"raft_term":2},"version":"3.4.23","dbSize":32768,"leader":${BIG_ID},"raftIndex":8,"raftTerm":2,"raftAppliedIndex":8,"dbSizeInUse":16384}},{"Endpoint":"http://127.0.3.5:2379","Status":{"header":{"cluster_id":15823811201220227063,"member_id":${BIG_ID},"revision":1,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":${BIG_ID},"raftIndex":8,"raftTerm":2,"raftAppliedIndex":8,"dbSizeInUse":16384}}]
`;

describe('parseEndpointStatus', () => {
  it('keeps uint64 ids exact, as decimal strings', () => {
    // What JSON.parse would have made of it: a different id.
    expect(String(Number(BIG_ID))).not.toBe(BIG_ID);
    const statuses = parseEndpointStatus(CAPTURED);
    expect(statuses).toHaveLength(3);
    expect(statuses[2]).toEqual({
      endpoint: 'http://127.0.3.5:2379',
      clusterId: '15823811201220227063',
      memberId: BIG_ID,
      leaderId: BIG_ID,
      raftTerm: 2n,
      raftIndex: 8n,
      version: '3.4.23',
      dbSizeBytes: 20480,
      isLearner: false,
      errors: [],
    });
    expect(statuses.map((s) => s.memberId)).toEqual(['2551764993124171851', '5886697775907429131', BIG_ID]);
  });

  it('finds the leader of the newest term', () => {
    const statuses = parseEndpointStatus(CAPTURED);
    expect(currentLeader(statuses)).toEqual({ leaderId: BIG_ID, raftTerm: 2n });
    // A member cut off from the others still names the old leader in an old term.
    const stale: EndpointStatus = { ...statuses[0]!, leaderId: '1', raftTerm: 1n };
    const newer: EndpointStatus = { ...statuses[1]!, leaderId: BIG_ID, raftTerm: 3n };
    expect(currentLeader([stale, newer])).toEqual({ leaderId: BIG_ID, raftTerm: 3n });
    expect(currentLeader([{ ...stale, leaderId: '0' }])).toBeUndefined();
    expect(currentLeader([])).toBeUndefined();
  });

  it('reads a member in the middle of an election, which omits leader', () => {
    const json = `[{"Endpoint":"http://127.0.3.4:2379","Status":{"header":{"cluster_id":8210447710844105586,"member_id":11017418100805478472,"revision":1,"raft_term":3},"version":"3.4.23","dbSize":20480,"raftIndex":9,"raftTerm":3,"raftAppliedIndex":9,"dbSizeInUse":16384}}]`;
    const [status] = parseEndpointStatus(json);
    expect(status).toMatchObject({ memberId: '11017418100805478472', leaderId: '0', raftTerm: 3n });
    expect(currentLeader([status!])).toBeUndefined();
  });

  it('reads alarms and learners when etcd reports them', () => {
    const json = `[{"Endpoint":"http://127.0.3.4:2379","Status":{"header":{"cluster_id":1,"member_id":2},"version":"3.4.23","dbSize":1,"leader":2,"raftIndex":1,"raftTerm":1,"isLearner":true,"errors":["memberID:2 alarm:NOSPACE "]}}]`;
    expect(parseEndpointStatus(json)[0]).toMatchObject({ isLearner: true, errors: ['memberID:2 alarm:NOSPACE '] });
  });

  it('says what is wrong and quotes the output', () => {
    expect(() => parseEndpointStatus('Error: context deadline exceeded')).toThrow(/not JSON.*"Error: context deadline exceeded"/);
    expect(() => parseEndpointStatus('{"Endpoint":"x"}')).toThrow(/expected shape at the top level/);
    expect(() => parseEndpointStatus(CAPTURED.replace(`"member_id":${BIG_ID}`, '"member_id":"abc"'))).toThrow(/at \[2\.Status\.header\.member_id\]/);
    expect(() => parseEndpointStatus(CAPTURED.replace('"raftTerm":2,', '"raftTerm":-2,'))).toThrow(/unsigned integer/);
  });
});

/** Real etcdctl, bounded; a non-zero exit still carries the JSON of the members that answered. */
function etcdctlJson(endpoints: readonly string[], ...args: string[]): EndpointStatus[] {
  const r = spawnSync('etcdctl', [`--endpoints=${endpoints.join(',')}`, '--command-timeout=1500ms', ...args, '-w', 'json'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.stdout.trim() ? parseEndpointStatus(r.stdout) : [];
}


function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('a real 3-member etcd cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-etcd-'));
  const ctx = testLabContext(dir);
  const etcd = new EtcdComponent();
  const endpoints = ['127.0.3.4', '127.0.3.5', '127.0.3.6'].map((a) => `http://${a}:${LAB_ETCD.clientPort}`);
  let failedEndpoint = '';

  beforeAll(async () => {
    await etcd.start(ctx);
  }, 40_000);

  afterAll(async () => {
    try {
      await etcd.stop();
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs 3 members on db1, mq1 and lb1 that agree on one leader', async () => {
    const statuses = etcdctlJson(endpoints, 'endpoint', 'status');
    expect(statuses.map((s) => s.endpoint).sort()).toEqual(endpoints);
    expect(new Set(statuses.map((s) => s.memberId)).size).toBe(3);
    expect(new Set(statuses.map((s) => s.clusterId)).size).toBe(1);
    const leaders = new Set(statuses.map((s) => s.leaderId));
    expect(leaders.size).toBe(1);
    expect(statuses.map((s) => s.memberId)).toContain([...leaders][0]);

    const status = await etcd.status();
    expect(status).toMatchObject({ name: 'etcd', healthy: true, failed: [] });
    expect(status.detail).toMatch(/^3\/3 members healthy, leader etcd[123] \(raft term \d+\)$/);
    expect(etcd.targets).toEqual(['etcd:leader', 'etcd:etcd1', 'etcd:etcd2', 'etcd:etcd3']);
  });

  it('fails the leader, and the other two elect a new one', async () => {
    const before = etcdctlJson(endpoints, 'endpoint', 'status');
    const oldLeader = before[0]!.leaderId;
    failedEndpoint = before.find((s) => s.memberId === oldLeader)!.endpoint;
    const name = `etcd${endpoints.indexOf(failedEndpoint) + 1}`;

    const asked = epochMs();
    let tookEffect: number | undefined;
    const said = await etcd.fail('etcd:leader', (at = epochMs()) => (tookEffect = at));
    const killedAt = Date.now();
    // The moment of the SIGKILL, for the detection bench: after the leader was found.
    expect(tookEffect).toBeGreaterThan(asked);
    expect(tookEffect).toBeLessThanOrEqual(epochMs());
    expect(said).toContain(`killed etcd member ${name} (`);
    expect(said).toContain('the leader');

    const rest = endpoints.filter((e) => e !== failedEndpoint);
    let after: EndpointStatus[] = [];
    while (Date.now() - killedAt < 5_000) {
      after = etcdctlJson(rest, 'endpoint', 'status');
      if (after.length === 2 && after.every((s) => s.leaderId !== oldLeader && s.leaderId !== '0' && s.leaderId === after[0]!.leaderId)) break;
      await sleep(100);
    }
    expect(after).toHaveLength(2);
    expect(after.map((s) => s.memberId)).toContain(after[0]!.leaderId);
    expect(after[0]!.leaderId).not.toBe(oldLeader);

    const status = await etcd.status();
    expect(status.healthy).toBe(false);
    expect(status.failed).toEqual([`etcd:${name}`]);
    expect(status.detail).toMatch(new RegExp(`^2/3 members healthy, leader etcd[123] \\(raft term \\d+\\); down: ${name}$`));
    await expect(etcd.fail(`etcd:${name}`)).rejects.toThrow(`etcd:${name} is already failed`);
    await expect(etcd.fail('etcd:etcd9')).rejects.toThrow('unknown etcd target etcd:etcd9: use one of etcd:leader, etcd:etcd1');
  });

  it('heals the member on its old data dir, back to 3/3', async () => {
    expect(await etcd.heal('etcd:leader')).toMatch(/^restarted etcd member etcd[123] \(/);
    expect(await etcd.heal('etcd:leader')).toMatch(/^nothing to heal/);
    const status = await etcd.status();
    expect(status).toMatchObject({ healthy: true, failed: [] });
    expect(status.detail).toMatch(/^3\/3 members healthy/);
    expect(spawnSync('etcdctl', [`--endpoints=${endpoints.join(',')}`, 'endpoint', 'health', '--cluster'], { timeout: 10_000 }).status).toBe(0);
    // Same member, same id: it rejoined rather than joined as a new one.
    expect(etcdctlJson(endpoints, 'endpoint', 'status')).toHaveLength(3);
  });

  it('stops every member and leaves no process or listening socket', async () => {
    await etcd.stop();
    expect(processesMentioning(join(dir, 'etcd'))).toEqual([]);
    for (const e of endpoints) {
      const host = new URL(e).hostname;
      expect(await refused(host, LAB_ETCD.clientPort)).toBe(true);
      expect(await refused(host, LAB_ETCD.peerPort)).toBe(true);
    }
    expect(await etcd.status()).toMatchObject({ healthy: false, detail: 'not running', failed: [] });
  });
});

describe('an etcd member that cannot start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-etcd-'));
  const ctx = testLabContext(dir);
  const squatter = createServer();

  beforeAll(() => new Promise<void>((resolve) => squatter.listen(LAB_ETCD.peerPort, '127.0.3.4', resolve)));
  afterAll(async () => {
    squatter.close();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails start() at once with the log tail, and leaves no member running', async () => {
    const started = Date.now();
    await expect(new EtcdComponent().start(ctx)).rejects.toThrow(/^etcd: etcd1 exited\n--- etcd1 \(.*etcd1\.log\):\n[\s\S]*address already in use/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(processesMentioning(join(dir, 'etcd'))).toEqual([]);
  });
});
