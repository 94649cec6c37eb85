// Word wrapping for the host detail's error rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapWords } from '../../src/ui/format.js';

describe('wrapWords', () => {
  it('breaks at spaces, keeps a leading indent, cuts a word longer than a row', () => {
    expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapWords('  ssh-keygen -R host', 14)).toEqual(['  ssh-keygen', '-R host']);
    expect(wrapWords('abcdefghij k', 4)).toEqual(['abcd', 'efgh', 'ij k']);
    expect(wrapWords('fits', 10)).toEqual(['fits']);
  });

  it('measures control characters by their visible form', () => {
    expect(wrapWords('ab\x1bcd ef', 6)).toEqual(['ab^[cd', 'ef']);
  });

  it('no row is wider than asked, and no word is lost', () => {
    // eslint-disable-next-line no-control-regex
    const word = fc.string({ minLength: 1, maxLength: 15 }).filter((w) => !/[\s\x00-\x1f\x7f-\x9f]/.test(w));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), fc.integer({ min: 1, max: 30 }), (words, width) => {
        const rows = wrapWords(words.join(' '), width);
        for (const r of rows) expect(r.length).toBeLessThanOrEqual(width);
        expect(rows.join('').replace(/ /g, '')).toBe(words.join(''));
      }),
    );
  });
});
