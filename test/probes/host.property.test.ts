// Whatever a host prints (garbage, a cut-off stream, a corrupted line), the
// parser returns a result and every number reaching the store is finite.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveMetrics, parseHostProbe } from '../../src/probes/host.js';
import type { HostProbeResult, HostSample } from '../../src/probes/host-metrics.js';
import { allFixtures, fixture, nonFinitePaths, realFixtures } from './host-fixtures.js';

const reference = parseHostProbe(fixture('real-vm-dash.txt'), 0);
const referenceSample = reference.kind === 'sample' ? reference.sample : undefined;

/** Parses and, for a sample, derives against nothing, itself and a real sample. */
function checkEverythingFinite(output: string, takenAt = 1_000): HostProbeResult {
  const result = parseHostProbe(output, takenAt);
  expect(['sample', 'unsupported', 'parse-error']).toContain(result.kind);
  if (result.kind === 'parse-error') {
    expect(typeof result.message).toBe('string');
    expect(result.raw.length).toBeLessThanOrEqual(300);
  }
  if (result.kind === 'sample') {
    const sample: HostSample = result.sample;
    expect(nonFinitePaths(sample)).toEqual([]);
    for (const previous of [undefined, sample, referenceSample]) {
      expect(nonFinitePaths(deriveMetrics(previous, sample))).toEqual([]);
      if (previous !== undefined) expect(nonFinitePaths(deriveMetrics(sample, previous))).toEqual([]);
    }
  }
  return result;
}

// Number-like and structural noise is what breaks parsers, so mutations favour it.
const noise = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '\n', '\r\n', ':', '%', '-', '.', '\\040', '@@baton:', '@@baton:end\n', '@@baton:df\n', 'NaN', 'Infinity', '-1', '1e308', '9'.repeat(25), '9'.repeat(400)),
  fc.integer().map(String),
  fc.double().map(String),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: noise }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }), text: noise }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce((acc, m) => {
    const at = acc.length === 0 ? 0 : m.at % (acc.length + 1);
    if (m.kind === 'insert') return acc.slice(0, at) + m.text + acc.slice(at);
    if (m.kind === 'delete') return acc.slice(0, at) + acc.slice(at + m.length);
    return acc.slice(0, at) + m.text + acc.slice(at + m.length);
  }, text);
}

describe('parseHostProbe robustness', () => {
  it('the reference fixture parses', () => {
    expect(referenceSample).toBeDefined();
  });

  it('never throws on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => void checkEverythingFinite(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => void checkEverythingFinite(s)), { numRuns: 300 });
  });

  it('never throws on marker-shaped random input', () => {
    const line = fc.oneof(noise, fc.constantFrom('@@baton:loadavg', '@@baton:stat', 'cpu  1 2 3 4', 'cpu0 1 2 3 4', 'MemTotal: 10 kB', 'Filesystem 1024-blocks'));
    fc.assert(fc.property(fc.array(line, { maxLength: 60 }), (lines) => void checkEverythingFinite(lines.join('\n'))), { numRuns: 500 });
  });

  it.each(allFixtures)('never throws on %s cut at every point', (name) => {
    const text = fixture(name);
    for (let cut = 0; cut <= text.length; cut += 1) {
      const result = checkEverythingFinite(text.slice(0, cut));
      // Only a complete stream can be a sample: truncation is always noticed.
      if (cut < text.lastIndexOf('@@baton:end')) expect(result.kind).toBe('parse-error');
    }
  });

  it.each(realFixtures)('never throws on random mutations of %s', (name) => {
    const text = fixture(name);
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (ms) => void checkEverythingFinite(mutate(text, ms))), { numRuns: 400 });
  });

  it('never produces a non-finite value for any takenAt', () => {
    const text = fixture('real-vm-dash.txt');
    fc.assert(fc.property(fc.double(), (takenAt) => void checkEverythingFinite(text, takenAt)), { numRuns: 200 });
  });
});
