// Whatever psql prints (cut off, corrupted, another JSON shape), the parser
// returns a result: a snapshot or a parse error with a bounded raw snippet.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postgresqlAlerts } from '../../src/probes/postgresql-alerts.js';
import { parsePostgresqlProbe } from '../../src/probes/postgresql.js';

const dir = new URL('../fixtures/postgresql/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, dir), 'utf8'));

function check(output: string): void {
  const r = parsePostgresqlProbe(output, 1000);
  expect(['snapshot', 'parse-error']).toContain(r.kind);
  if (r.kind === 'parse-error') expect(r.raw.length).toBeLessThanOrEqual(300);
  else expect(() => postgresqlAlerts(r.snapshot)).not.toThrow();
}

const jsonValue = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.string(), fc.constant([]), fc.constant({}), fc.constant([null]), fc.constant([1]));

describe('postgresql parser never throws', () => {
  it('on cut-off and corrupted real outputs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), fc.nat(), fc.string(), (text, a, b, insert) => {
        check(text.slice(0, a % (text.length + 1)));
        const at = b % (text.length + 1);
        check(text.slice(0, at) + insert + text.slice(at));
      }),
      { numRuns: 400 },
    );
  });

  it('on any value in any field of the real JSON row', () => {
    const rows = fixtures.map((t) => /^\{.*\}$/m.exec(t)?.[0]).filter((r): r is string => r !== undefined);
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.nat(), jsonValue, (row, pick, value) => {
        const o = JSON.parse(row) as Record<string, unknown>;
        const key = Object.keys(o)[pick % Object.keys(o).length] ?? 'version';
        o[key] = value;
        check(`@@baton:postgresql\n${JSON.stringify(o)}\n@@baton:stderr\n\n@@baton:exit 0\n`);
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => check(s)), { numRuns: 200 });
  });
});
