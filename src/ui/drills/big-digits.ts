// The stopwatch's digits five rows tall in block characters, readable across
// a room on a projector. Pure.

/** Each glyph as five rows, three cells wide ('#' is a filled cell). */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['###', '# #', '# #', '# #', '###'],
  '1': ['  #', '  #', '  #', '  #', '  #'],
  '2': ['###', '  #', '###', '#  ', '###'],
  '3': ['###', '  #', '###', '  #', '###'],
  '4': ['# #', '# #', '###', '  #', '  #'],
  '5': ['###', '#  ', '###', '  #', '###'],
  '6': ['###', '#  ', '###', '# #', '###'],
  '7': ['###', '  #', '  #', '  #', '  #'],
  '8': ['###', '# #', '###', '# #', '###'],
  '9': ['###', '# #', '###', '  #', '###'],
  ':': [' ', '#', ' ', '#', ' '],
  '.': [' ', ' ', ' ', ' ', '#'],
  '-': ['   ', '   ', '###', '   ', '   '],
  ' ': ['  ', '  ', '  ', '  ', '  '],
};

export const BIG_ROWS = 5;

/** `text` (digits, `:`, `.`, `-`, space) as five rows; `scale` widens each cell (2 keeps the digits' proportions on a terminal). */
export function bigText(text: string, scale = 1): string[] {
  const glyphs = [...text].map((ch) => GLYPHS[ch] ?? GLYPHS[' ']!);
  return Array.from({ length: BIG_ROWS }, (_, row) =>
    glyphs
      .map((g) => [...g[row]!].map((cell) => (cell === '#' ? '█' : ' ').repeat(scale)).join(''))
      .join(' '.repeat(scale))
      .trimEnd(),
  );
}

/** Elapsed ms as the stopwatch shows it: MM:SS.t, H:MM:SS past an hour; negative as -SS.t (before the fault). */
export function stopwatchText(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const tenths = Math.floor(Math.abs(ms) / 100);
  const seconds = Math.floor(tenths / 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds >= 3600) return `${sign}${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return `${sign}${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}.${tenths % 10}`;
}

/** Columns `text` takes at `scale`. */
export function bigWidth(text: string, scale = 1): number {
  const glyphs = [...text].map((ch) => GLYPHS[ch] ?? GLYPHS[' ']!);
  return glyphs.reduce((w, g) => w + g[0]!.length * scale, 0) + Math.max(0, glyphs.length - 1) * scale;
}

/** The wider scale at which `text` still fits in `width` columns. */
export function bigScale(text: string, width: number): 1 | 2 {
  return bigWidth(text, 2) <= width ? 2 : 1;
}
