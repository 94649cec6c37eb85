// Every captured reply decodes the same from --json and --no-raw: RESP3
// maps and RESP2 flat arrays are the same fields, so the parser can take
// either. Idle times differ only because each form was a separate capture.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeReply, type RedisValue } from '../../../src/probes/queues/redis-reply.js';
import { fixture, STATES } from './fixtures.js';

const names = [...new Set(readdirSync(join(import.meta.dirname, '../../fixtures/queues/steady')).filter((f) => f.endsWith('.json.txt')).map((f) => f.slice(0, -'.json.txt'.length)))];

/** RESP3 maps as RESP2 flat arrays, with the time-dependent numbers blanked. */
function comparable(v: RedisValue, name: string): unknown {
  if (Array.isArray(v)) return name === 'xpending-oldest' ? v.map((e) => (Array.isArray(e) ? [e[0], e[1], 'idle', e[3]] : e)) : v.map((e) => comparable(e, name));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, inner]) => [k, k === 'idle' ? 'idle' : comparable(inner, name)]);
  return v;
}

function comparableNoRaw(v: RedisValue, name: string): unknown {
  if (!Array.isArray(v)) return v;
  if (name === 'xinfo-consumers') return v.map((c) => (Array.isArray(c) ? c.map((e, i) => (c[i - 1] === 'idle' ? 'idle' : e)) : c));
  return comparable(v, name);
}

describe.each(STATES)('decodeReply on every %s capture', (state) => {
  it.each(names)('%s reads the same in both forms', (name) => {
    const json = decodeReply(fixture(state, name, 'json'), 'json');
    const noRaw = decodeReply(fixture(state, name, 'no-raw'), 'no-raw');
    if ('error' in json) {
      expect(noRaw).toEqual(json);
      expect(json.error).toBe('ERR no such key');
      return;
    }
    if (!('value' in noRaw)) throw new Error(noRaw.error);
    expect(comparableNoRaw(noRaw.value, name)).toEqual(comparable(json.value, name));
  });
});

describe('decodeReply details', () => {
  it('undoes redis-cli quoting (a real --no-raw and --json pair)', () => {
    const text = 'a"b\\c\nd\x01é';
    expect(decodeReply('"a\\"b\\\\c\\nd\\x01\\xc3\\xa9"\n', 'no-raw')).toEqual({ value: text });
    expect(decodeReply('"a\\"b\\\\c\\nd\\u0001é"\n', 'json')).toEqual({ value: text });
  });

  it('knows nil, empty arrays, integers, bare status replies and nested empties', () => {
    expect(decodeReply('(nil)', 'no-raw')).toEqual({ value: null });
    expect(decodeReply('(empty array)', 'no-raw')).toEqual({ value: [] });
    expect(decodeReply('(empty list or set)', 'no-raw')).toEqual({ value: [] });
    expect(decodeReply('stream', 'no-raw')).toEqual({ value: 'stream' });
    expect(decodeReply('1) (integer) 0\n2) (nil)\n3) (nil)\n4) (nil)', 'no-raw')).toEqual({ value: [0, null, null, null] });
  });

  it('calls what it cannot read unreadable instead of guessing', () => {
    expect(decodeReply('1) "a"\n3) "b"', 'no-raw')).toMatchObject({ error: expect.stringContaining('unreadable') });
    expect(decodeReply('{"length":', 'json')).toMatchObject({ error: expect.stringContaining('unreadable') });
    expect(decodeReply('error:"NOAUTH Authentication required."', 'json')).toEqual({ error: 'NOAUTH Authentication required.' });
  });
});
