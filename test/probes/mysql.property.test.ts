// Whatever the client prints (cut off, corrupted), the parser returns a
// snapshot or a parse error with a bounded raw snippet, and alerts never throw.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mysqlAlerts } from '../../src/probes/mysql-alerts.js';
import { parseMysqlProbe } from '../../src/probes/mysql.js';

const dir = new URL('../fixtures/mysql/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(new URL(f, dir), 'utf8'));

function check(output: string): void {
  const r = parseMysqlProbe(output, 1000);
  expect(['snapshot', 'parse-error']).toContain(r.kind);
  if (r.kind === 'parse-error') expect(r.raw.length).toBeLessThanOrEqual(300);
  else expect(() => mysqlAlerts(r.snapshot)).not.toThrow();
}

describe('mysql parser never throws', () => {
  it('on cut-off and corrupted real outputs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), fc.nat(), fc.oneof(fc.string(), fc.constantFrom('\t', '\n', 'NULL', '\\', '@@baton:exit 0\n', '@@baton:replicas\n')), (text, a, b, insert) => {
        check(text.slice(0, a % (text.length + 1)));
        const at = b % (text.length + 1);
        check(text.slice(0, at) + insert + text.slice(at));
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (s) => check(s)), { numRuns: 200 });
  });
});
