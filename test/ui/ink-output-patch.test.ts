// Ink's frame builder as patched by patches/ink+6.8.0.patch (caches kept
// across frames, rows reused when made of the same cells, lines inside the
// clip not re-sliced). The patch must change nothing a frame shows: these
// build frames with the patched Output and check them cell for cell.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

interface OutputLike {
  write(x: number, y: number, text: string, options: { transformers: Array<(line: string, index: number) => string> }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (size: { width: number; height: number }) => OutputLike;

// Ink's package exports hide build/output.js; it is the same module Ink loads.
const inkEntry = createRequire(import.meta.url).resolve('ink');
const outputModule = (await import(pathToFileURL(join(dirname(inkEntry), 'output.js')).href)) as { default: OutputClass };
const Output = outputModule.default;

const RED = '\u001B[31m';
const RESET = '\u001B[39m';
const frame = (width: number, height: number, draw: (o: OutputLike) => void): string => {
  const o = new Output({ width, height });
  draw(o);
  return o.get().output;
};
const plain = { transformers: [] };

describe('the patched Ink frame builder', () => {
  it('is the patched one', () => {
    expect(Object.keys(outputModule)).toContain('sharedCaches');
  });

  it('redraws a row whose cells changed and keeps the rows that did not', () => {
    const draw = (second: string) => (o: OutputLike) => {
      o.write(0, 0, 'first row', plain);
      o.write(0, 1, second, plain);
      o.write(0, 2, `${RED}third${RESET}`, plain);
    };
    expect(frame(20, 3, draw('second'))).toBe(`first row\nsecond\n${RED}third${RESET}`);
    expect(frame(20, 3, draw('2nd'))).toBe(`first row\n2nd\n${RED}third${RESET}`);
    // Same text at another column: different cells, so not the cached row.
    expect(frame(20, 3, (o) => o.write(3, 1, '2nd', plain))).toBe('\n   2nd\n');
  });

  it('clips a line that crosses the clip and keeps one inside it whole, styles included', () => {
    const drawn = frame(12, 2, (o) => {
      o.clip({ x1: 2, x2: 8 });
      o.write(0, 0, 'abcdefghijkl', plain);
      o.write(3, 1, `${RED}ok${RESET}`, plain);
      o.unclip();
    });
    expect(drawn).toBe(`  cdefgh\n   ${RED}ok${RESET}`);
  });

  it('keeps a wide character two cells wide from frame to frame', () => {
    const draw = (o: OutputLike) => o.write(0, 0, '界x', plain);
    expect(frame(6, 1, draw)).toBe('界x');
    expect(frame(6, 1, draw)).toBe('界x');
  });

  it('applies transformers to the line, not to a cached copy of another', () => {
    const upper = { transformers: [(line: string) => line.toUpperCase()] };
    expect(frame(10, 1, (o) => o.write(0, 0, 'same', upper))).toBe('SAME');
    expect(frame(10, 1, (o) => o.write(0, 0, 'same', plain))).toBe('same');
  });
});
