// The real redis-cli captures (test/fixtures/queues/capture.sh) put back
// together the way the probe command frames them, and helpers to build
// snapshots for the trend and alert tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue, QueueSnapshot } from '../../../src/probes/queues/queue-types.js';
import { parseRedisQueues } from '../../../src/probes/queues/redis-queues.js';

export type State = 'steady' | 'backlog';
export type Form = 'json' | 'no-raw' | 'raw';
export const STATES: State[] = ['steady', 'backlog'];
/** The two forms the probe asks redis-cli for; --raw only feeds the shell. */
export type ParsedForm = Exclude<Form, 'raw'>;
export const PARSED_FORMS: ParsedForm[] = ['json', 'no-raw'];

export const fixture = (state: State, name: string, form: Form) => readFileSync(join(import.meta.dirname, '../../fixtures/queues', state, `${name}.${form}.txt`), 'utf8');

const cmd = (name: string, text: string, rc = 0) => `@@baton:cmd ${name}\n${text.replace(/\n$/, '')}\n@@baton:rc ${rc}`;

/** What the probe prints for the lab broker (no TIME or XLEN was captured). */
export function probeOutput(state: State, form: Form): string {
  const f = (name: string) => fixture(state, name, form);
  return [
    `@@baton:format ${form}`,
    '@@baton:stream orders',
    cmd('xinfo-stream', f('xinfo-stream')),
    cmd('xinfo-groups', f('xinfo-groups')),
    '@@baton:group workers',
    cmd('xinfo-consumers', f('xinfo-consumers')),
    cmd('xpending', f('xpending')),
    '@@baton:stream no-such-stream',
    cmd('xinfo-stream', f('xinfo-stream-missing')),
    '@@baton:list jobs',
    cmd('llen', f('llen-jobs')),
    cmd('lindex-oldest', f('lindex-oldest-job')),
    '@@baton:dead-letters jobs:dead',
    cmd('llen', f('llen-dead')),
    // LINDEX of jobs:dead was not captured: the real nil reply stands in for it.
    cmd('lindex-oldest', fixture('steady', 'lindex-oldest-job', form)),
    '@@baton:end',
    '',
  ].join('\n');
}

export function parsed(output: string, takenAt: number): QueueSnapshot {
  const r = parseRedisQueues(output, takenAt);
  if (r.kind !== 'snapshot') throw new Error(`${r.message}\n${r.raw}`);
  return r.snapshot;
}

export const queueNamed = (s: QueueSnapshot, name: string): Queue => {
  const q = s.queues.find((x) => x.name === name);
  if (!q) throw new Error(`no queue ${name} in ${s.queues.map((x) => x.name).join(', ')}`);
  return q;
};

/** A list queue at one depth, for the trend and alert tests. */
export const listQueue = (name: string, depth: number | null, extra: Partial<Queue> = {}): Queue => ({
  broker: 'redis',
  name,
  kind: 'list',
  deadLetter: false,
  discovered: false,
  depth,
  consumers: null,
  oldestAgeMs: null,
  ...extra,
});

export const snapshotOf = (takenAt: number, queues: Queue[], serverTime: number | null = null): QueueSnapshot => ({ broker: 'redis', takenAt, serverTime, queues, discovery: null });
