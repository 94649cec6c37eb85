import { describe, expect, it } from 'vitest';
import { keepCursorOnLastRow } from '../../src/ui/compact-output.js';

describe('keepCursorOnLastRow (Ink 6.8 frame offset fix)', () => {
  it('moves the cursor back onto the last row after a frame ending in a newline or next-line', () => {
    expect(keepCursorOnLastRow('row1\nrow2\n')).toBe('row1\nrow2\n\x1b[A');
    expect(keepCursorOnLastRow(`\x1b[28Arow1\x1b[K\n\x1b[27E`)).toBe(`\x1b[28Arow1\x1b[K\n\x1b[27E\x1b[A`);
  });

  it('keeps trailing synchronized-update switches after the fix', () => {
    expect(keepCursorOnLastRow('\x1b[?2026hrow\n\x1b[?2026l')).toBe('\x1b[?2026hrow\n\x1b[A\x1b[?2026l');
  });

  it('leaves writes that are not frame ends alone', () => {
    expect(keepCursorOnLastRow('\x1b[?25l')).toBe('\x1b[?25l');
    expect(keepCursorOnLastRow('no newline')).toBe('no newline');
  });
});
