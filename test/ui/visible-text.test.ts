// The one rule every output path uses for control characters in data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibleLines, visibleText } from '../../src/ui/visible-text.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

describe('visibleText', () => {
  it('shows C0 controls and DEL in caret notation, C1 controls as \\x escapes', () => {
    expect(visibleText('a\x1b]0;title\x07b')).toBe('a^[]0;title^Gb');
    expect(visibleText('\x00\t\n\r\x1f\x7f')).toBe('^@^I^J^M^_^?');
    expect(visibleText('\x80\x9b2J\x9f')).toBe('\\x80\\x9b2J\\x9f');
  });

  it('leaves printable text alone, Unicode included', () => {
    const text = 'nœud-é1 ☃ 日本 ^[ \u00a0\u00ff';
    expect(visibleText(text)).toBe(text);
  });

  it('leaves no control character, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const shown = visibleText(s);
        expect(shown).not.toMatch(CONTROL);
        expect(visibleText(shown)).toBe(shown);
      }),
    );
  });
});

describe('visibleLines', () => {
  it('keeps line breaks, shows every other control', () => {
    expect(visibleLines('first\x1b[2J\nsecond\r\n')).toBe('first^[[2J\nsecond^M\n');
  });
});
