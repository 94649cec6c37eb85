import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandNodeset, MAX_NODESET_NAMES, NodesetError } from '../../src/inventory/nodeset.js';

function failure(pattern: string): NodesetError {
  try {
    expandNodeset(pattern);
  } catch (error) {
    if (error instanceof NodesetError) return error;
    throw error;
  }
  throw new Error(`expected "${pattern}" to fail`);
}

describe('expandNodeset', () => {
  it('keeps the written zero padding', () => {
    expect(expandNodeset('web[01-03]')).toEqual(['web01', 'web02', 'web03']);
    expect(expandNodeset('n[008-011]')).toEqual(['n008', 'n009', 'n010', 'n011']);
    expect(expandNodeset('n[1-3]')).toEqual(['n1', 'n2', 'n3']);
    expect(expandNodeset('n[98-100]')).toEqual(['n98', 'n99', 'n100']);
  });

  it('expands addresses', () => {
    expect(expandNodeset('10.0.0.[1-3]')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('takes lists and single numbers inside brackets', () => {
    expect(expandNodeset('web[1,3,5-7]')).toEqual(['web1', 'web3', 'web5', 'web6', 'web7']);
  });

  it('takes a step', () => {
    expect(expandNodeset('n[1-9/4]')).toEqual(['n1', 'n5', 'n9']);
  });

  it('multiplies several bracket groups left to right', () => {
    expect(expandNodeset('r[1-2]n[1,3]')).toEqual(['r1n1', 'r1n3', 'r2n1', 'r2n3']);
    expect(expandNodeset('[1-2]-x')).toEqual(['1-x', '2-x']);
  });

  it('splits top-level commas but not commas inside brackets', () => {
    expect(expandNodeset('web[1-2],db1')).toEqual(['web1', 'web2', 'db1']);
    expect(expandNodeset('a[1,2],b[3,4]')).toEqual(['a1', 'a2', 'b3', 'b4']);
  });

  it('passes plain names through', () => {
    expect(expandNodeset('db1')).toEqual(['db1']);
  });

  it.each([
    ['web[3-1]', 4, 'reversed range "3-1"'],
    ['web[1-3', 3, 'unclosed "["'],
    ['web1]', 4, 'unexpected "]" without "["'],
    ['web[]', 4, 'empty range'],
    ['web[1,]', 6, 'empty range'],
    ['web[a-c]', 4, 'non-numeric range "a-c"'],
    ['web[1-2][1-x]', 9, 'non-numeric range "1-x"'],
    ['web[1-[2]]', 6, 'nested "["'],
    ['web1,,db1', 5, 'empty name'],
    ['', 0, 'empty name'],
    ['n[1-05]', 2, 'inconsistent zero padding in "1-05"'],
    ['n[1-9/0]', 2, 'zero step in "1-9/0"'],
    ['n[1-1234567890123456]', 2, 'number too large in "1-1234567890123456"'],
  ])('rejects %s at index %i: %s', (pattern, index, reason) => {
    const error = failure(pattern);
    expect(error.reason).toBe(reason);
    expect(error.index).toBe(index);
    expect(error.message).toBe(`${reason} at position ${index + 1} of "${pattern}"`);
  });

  it(`refuses more than ${MAX_NODESET_NAMES} names`, () => {
    expect(expandNodeset('n[1-100000]')).toHaveLength(100_000);
    expect(failure('n[1-100001]').reason).toBe('expands to more than 100000 names');
    expect(failure('a[1-1000]b[1-1000]').reason).toBe('expands to more than 100000 names');
    expect(failure('a[1-60000],b[1-60000]').reason).toBe('expands to more than 100000 names');
  });

  it('expands prefix[a-b] to b-a+1 unique names that keep the prefix', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/),
        fc.nat(5000),
        fc.nat(2000),
        (prefix, a, span) => {
          const b = a + span;
          const names = expandNodeset(`${prefix}[${a}-${b}]`);
          expect(names).toHaveLength(b - a + 1);
          expect(new Set(names).size).toBe(names.length);
          expect(names.every((n) => n.startsWith(prefix))).toBe(true);
          expect(names[0]).toBe(`${prefix}${a}`);
          expect(names.at(-1)).toBe(`${prefix}${b}`);
        },
      ),
    );
  });
});
