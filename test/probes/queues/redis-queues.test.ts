// The Redis queue parser on real redis-cli 7.0 output from the lab broker
// (test/fixtures/queues/capture.sh), captured while traffic flowed (steady)
// and with the consumers failed (backlog). Expectations come from the
// fixtures' own JSON, read here with JSON.parse, not from the parser.
import { describe, expect, it } from 'vitest';
import { enqueuedAt } from '../../../src/probes/queues/redis-queue-build.js';
import { parseRedisQueues } from '../../../src/probes/queues/redis-queues.js';
import { fixture, parsed, PARSED_FORMS, probeOutput, queueNamed, STATES, type State } from './fixtures.js';

interface GroupJson {
  name: string;
  consumers: number;
  pending: number;
  lag: number;
  'last-delivered-id': string;
  'entries-read': number;
}

function expected(state: State) {
  const json = (name: string): unknown => JSON.parse(fixture(state, name, 'json'));
  const stream = json('xinfo-stream') as { length: number; 'entries-added': number };
  const [group] = json('xinfo-groups') as GroupJson[];
  const consumers = json('xinfo-consumers') as { name: string; pending: number }[];
  const [, oldestPending] = json('xpending') as [number, string];
  const job = json('lindex-oldest-job') as string | null;
  return {
    stream,
    group: group!,
    consumers,
    oldestPendingMs: Number(oldestPending.split('-')[0]),
    jobAt: job === null ? null : (JSON.parse(job) as { at: number }).at,
    jobs: json('llen-jobs') as number,
    dead: json('llen-dead') as number,
  };
}

const TAKEN_AT = 1_795_319_560_000;

describe.each(STATES.flatMap((state) => PARSED_FORMS.map((form) => [state, form] as const)))('parseRedisQueues on the %s capture in --%s form', (state, form) => {
  const s = parsed(probeOutput(state, form), TAKEN_AT);
  const e = expected(state);

  it('reads the orders stream through its consumer group', () => {
    expect(queueNamed(s, 'orders')).toMatchObject({
      broker: 'redis',
      kind: 'stream',
      deadLetter: false,
      length: e.stream.length,
      entriesAdded: e.stream['entries-added'],
      depth: e.group.lag + e.group.pending,
      group: 'workers',
      lag: e.group.lag,
      pending: e.group.pending,
      lastDeliveredId: e.group['last-delivered-id'],
      consumers: e.group.consumers,
      oldestAgeMs: TAKEN_AT - e.oldestPendingMs,
    });
    const [group] = queueNamed(s, 'orders').groups!;
    expect(group).toMatchObject({ name: 'workers', entriesRead: e.group['entries-read'], consumers: e.consumers.length });
    expect(group!.consumerList.map(({ name, pending }) => ({ name, pending }))).toEqual(e.consumers.map(({ name, pending }) => ({ name, pending })));
    for (const c of group!.consumerList) expect(c.idleMs).toBeGreaterThan(0);
  });

  it('reads the jobs list, its oldest job age, and the dead letters', () => {
    expect(queueNamed(s, 'jobs')).toMatchObject({ kind: 'list', depth: e.jobs, consumers: null, oldestAgeMs: e.jobAt === null ? null : TAKEN_AT - e.jobAt });
    expect(queueNamed(s, 'jobs:dead')).toMatchObject({ kind: 'list', deadLetter: true, depth: e.dead });
    expect(queueNamed(s, 'jobs').error).toBeUndefined();
  });

  it('makes a missing stream that queue’s error, not the snapshot’s', () => {
    expect(queueNamed(s, 'no-such-stream')).toMatchObject({ depth: null, error: 'XINFO STREAM: ERR no such key' });
    expect(s.error).toBeUndefined();
    expect(s.queues).toHaveLength(4);
  });
});

describe('steady against backlog', () => {
  it('shows the failed consumers as more depth and lag, in both forms', () => {
    for (const form of PARSED_FORMS) {
      const [steady, backlog] = STATES.map((state) => parsed(probeOutput(state, form), TAKEN_AT));
      const [o1, o2] = [queueNamed(steady!, 'orders'), queueNamed(backlog!, 'orders')];
      expect(o2.depth!).toBeGreaterThan(o1.depth!);
      expect(o2.lag!).toBeGreaterThan(o1.lag!);
      expect(queueNamed(backlog!, 'jobs').depth!).toBeGreaterThan(queueNamed(steady!, 'jobs').depth!);
      // The consumers stayed registered but stopped reading.
      const idle = (q: typeof o1) => Math.min(...q.groups![0]!.consumerList.map((c) => c.idleMs!));
      expect(idle(o2)).toBeGreaterThan(idle(o1));
    }
  });

  it('reads the same figures from --json and --no-raw (idle times aside: separate captures)', () => {
    for (const state of STATES) {
      const [json, noRaw] = PARSED_FORMS.map((form) => JSON.stringify(parsed(probeOutput(state, form), TAKEN_AT), (k, v: unknown) => (k === 'idleMs' ? 0 : v)));
      expect(noRaw).toBe(json);
    }
  });
});

const wrongType = { json: 'error:"WRONGTYPE Operation against a key holding the wrong kind of value"', 'no-raw': '(error) WRONGTYPE Operation against a key holding the wrong kind of value' };

describe('per-queue errors', () => {
  it.each(PARSED_FORMS)('keeps a WRONGTYPE key as that queue’s error (--%s)', (form) => {
    const output = [
      `@@baton:format ${form}`,
      '@@baton:stream jobs',
      `@@baton:cmd xinfo-stream\n${wrongType[form]}\n@@baton:rc 0`,
      '@@baton:list orders',
      `@@baton:cmd llen\n${wrongType[form]}\n@@baton:rc 0`,
      '@@baton:list work',
      `@@baton:cmd llen\n${fixture('backlog', 'llen-jobs', form)}@@baton:rc 0`,
      `@@baton:cmd lindex-oldest\n${fixture('backlog', 'lindex-oldest-job', form)}@@baton:rc 0`,
      '@@baton:end',
    ].join('\n');
    const s = parsed(output, TAKEN_AT);
    expect(s.queues.map((q) => [q.name, q.kind, q.depth, q.error?.split(' Operation')[0]])).toEqual([
      ['jobs', 'stream', null, 'XINFO STREAM: WRONGTYPE'],
      ['orders', 'list', null, 'LLEN: WRONGTYPE'],
      ['work', 'list', 79, undefined],
    ]);
  });

  it('falls back to XLEN as depth when Redis (< 7.0) reports no lag', () => {
    const groups6 = ['1) 1) "name"', '   2) "workers"', '   3) "consumers"', '   4) (integer) 2', '   5) "pending"', '   6) (integer) 1', '   7) "last-delivered-id"', '   8) "1795319544550-0"'].join('\n');
    const output = `@@baton:format no-raw\n@@baton:stream orders\n@@baton:cmd xinfo-stream\n${fixture('backlog', 'xinfo-stream', 'no-raw')}@@baton:rc 0\n@@baton:cmd xinfo-groups\n${groups6}\n@@baton:rc 0\n@@baton:end\n`;
    expect(queueNamed(parsed(output, TAKEN_AT), 'orders')).toMatchObject({ depth: 81, length: 81, lag: null, pending: 1, group: 'workers' });
  });

  it('reports an unreachable broker on the snapshot and on each queue', () => {
    const refused = 'Could not connect to Redis at 10.0.0.9:6379: Connection refused';
    const s = parsed(`@@baton:format json\n@@baton:cmd time\n${refused}\n@@baton:rc 1\n@@baton:list jobs\n@@baton:cmd llen\n${refused}\n@@baton:rc 1\n@@baton:end\n`, 0);
    expect(s.error).toBe(refused);
    expect(s.serverTime).toBeNull();
    expect(queueNamed(s, 'jobs')).toMatchObject({ depth: null, error: `LLEN: ${refused}` });
  });

  it('keeps what it read when the output is cut off, and says so', () => {
    const full = probeOutput('backlog', 'json');
    const s = parsed(full.slice(0, full.indexOf('@@baton:group workers')), TAKEN_AT);
    expect(s.error).toMatch(/cut off/);
    expect(queueNamed(s, 'orders')).toMatchObject({ depth: 80, lag: 79 });
  });

  it('reads the broker clock from TIME and ages messages by it', () => {
    const time = '@@baton:format json\n@@baton:cmd time\n["1795319549","250000"]\n@@baton:rc 0\n';
    const s = parsed(time + probeOutput('backlog', 'json').split('\n').slice(1).join('\n'), 0);
    expect(s.serverTime).toBe(1_795_319_549_250);
    expect(queueNamed(s, 'jobs').oldestAgeMs).toBe(1_795_319_549_250 - 1_795_319_544_600);
  });
});

describe('parseRedisQueues on output it cannot use', () => {
  it('says what is missing, with the raw snippet', () => {
    expect(parseRedisQueues('', 0)).toMatchObject({ kind: 'parse-error', message: expect.stringContaining('format') });
    expect(parseRedisQueues('sh: 1: syntax error\n', 0)).toMatchObject({ kind: 'parse-error', raw: expect.stringContaining('syntax error') });
    expect(parseRedisQueues('@@baton:none\nredis-cli is not installed on this host\n', 0)).toMatchObject({ kind: 'parse-error', message: 'redis-cli is not installed on this host' });
  });

  it('reports the key scan’s outcome', () => {
    const discover = (tail: string) => parsed(`@@baton:format json\n@@baton:discover\n@@baton:list found\n@@baton:cmd llen\n3\n@@baton:rc 0\n${tail}@@baton:end\n`, 0);
    expect(discover('@@baton:scan-rc 0\n').discovery).toEqual({ outcome: 'complete', found: 1, message: null });
    expect(discover('@@baton:scan-rc 124\n').discovery).toMatchObject({ outcome: 'timed-out', found: 1 });
    expect(discover('@@baton:scan-capped\n').discovery).toMatchObject({ outcome: 'capped' });
    expect(discover('').discovery).toMatchObject({ outcome: 'failed' });
    expect(queueNamed(discover(''), 'found')).toMatchObject({ discovered: true, depth: 3 });
    expect(parsed('@@baton:format json\n@@baton:discover-unavailable no timeout command\n@@baton:end\n', 0).discovery).toMatchObject({ outcome: 'unavailable' });
  });
});

describe('enqueuedAt, the age of a list job', () => {
  it('reads `at` in ms from the lab job, and leniently from others', () => {
    expect(enqueuedAt(JSON.parse(fixture('backlog', 'lindex-oldest-job', 'json')) as string)).toBe(1_795_319_544_600);
    expect(enqueuedAt('{"at":"1795319544600"}')).toBe(1_795_319_544_600);
    // Cut short, or not JSON at all but carrying the field.
    expect(enqueuedAt('{"id":518,"task":"resize-image","at":1795319544600,"payl')).toBe(1_795_319_544_600);
    expect(enqueuedAt('job "at": 1795319544600;')).toBe(1_795_319_544_600);
  });

  it('gives no age rather than a wrong one', () => {
    expect(enqueuedAt('resize-image')).toBeNull();
    expect(enqueuedAt('{"id":1}')).toBeNull();
    expect(enqueuedAt('{"meta":{"at":1795319544600}}')).toBeNull();
    // Seconds, not ms: before 2001 read as ms, so refused.
    expect(enqueuedAt('{"at":1795319544}')).toBeNull();
    expect(enqueuedAt('{"at":-1}')).toBeNull();
    expect(enqueuedAt('{"at":1e400}')).toBeNull();
  });
});
