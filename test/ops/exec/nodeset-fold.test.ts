// Folding host names into nodesets (clush -b headers): the fold expands back
// to exactly the names, and looks like ClusterShell's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandNodeset, foldNodeset } from '../../../src/inventory/nodeset.js';
import { exitSummary, groupOutputs } from '../../../src/ops/exec/output-groups.js';

describe('foldNodeset', () => {
  it('folds like clush', () => {
    expect(foldNodeset(['web01', 'web02', 'web03', 'db1'])).toBe('db1,web[01-03]');
    expect(foldNodeset(['web1', 'web2', 'web4', 'web10'])).toBe('web[1-2,4,10]');
    expect(foldNodeset(['web09', 'web10'])).toBe('web[09-10]');
    expect(foldNodeset(['rack1-n1', 'rack1-n2', 'lb'])).toBe('lb,rack1-n[1-2]');
    expect(foldNodeset(['h1'])).toBe('h1');
  });

  it('property: expanding the fold gives back the same names', () => {
    const name = fc.tuple(fc.constantFrom('web', 'db', 'n', 'rack2-n', 'x.'), fc.integer({ min: 0, max: 130 }), fc.constantFrom(0, 2, 3), fc.constantFrom('', '.lan', '-a'));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 30 }), (parts) => {
        const names = parts.map(([p, n, w, s]) => `${p}${String(n).padStart(w, '0')}${s}`);
        expect(new Set(expandNodeset(foldNodeset(names)))).toEqual(new Set(names));
      }),
    );
  });
});

describe('groupOutputs', () => {
  it('shows identical output and exit code once, under the folded nodeset, biggest group first', () => {
    const out = (host: string, stdout: string, rc: number) => ({ host, outcome: rc === 0 ? ('ok' as const) : ('failed' as const), rc, stdout, stderr: '' });
    const groups = groupOutputs([out('web1', 'a\n', 0), out('web2', 'a\n', 0), out('web3', 'a\n', 1), out('web4', 'a\n', 0)]);
    expect(groups.map((g) => [g.nodeset, g.rc])).toEqual([['web[1-2,4]', 0], ['web3', 1]]);
    expect(exitSummary([out('web1', '', 0), out('web2', '', 2), { host: 'db1', outcome: 'unknown', rc: null, stdout: '', stderr: '' }])).toBe('rc 0: web1; rc 2: web2; unknown: db1');
  });
});
