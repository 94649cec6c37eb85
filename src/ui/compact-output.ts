// The stream Ink writes to. Two fixes to Ink 6.8's incremental renderer:
//
// 1. It walks down every unchanged line with one "cursor next line"
//    (ESC [ E) each: ~3 bytes per row per frame, most of a clock tick over
//    SSH. A run of n of them is the same move as ESC [ n E.
// 2. A frame that ends in a newline leaves the cursor one row below the
//    frame, but the next frame moves up as if the cursor were on the frame's
//    last row, so every later frame lands one row low and stale rows stay on
//    screen (fixed in Ink 7, which needs Node 22). One "cursor up" after each
//    such frame puts the cursor where Ink assumes it is.

// eslint-disable-next-line no-control-regex
const NEXT_LINE_RUN = /(?:\x1b\[E){2,}/g;
// A frame's end (newline or cursor-next-line), then any trailing mode switches
// such as the end of a synchronized update (ESC [ ? 2026 l).
// eslint-disable-next-line no-control-regex
const FRAME_END = /(\n|\x1b\[\d*E)((?:\x1b\[\?\d+[hl])*)$/;

export function compactCursorMoves(text: string): string {
  return text.replace(NEXT_LINE_RUN, (run) => `\x1b[${run.length / 3}E`);
}

export function keepCursorOnLastRow(text: string): string {
  return text.replace(FRAME_END, (_all, end: string, modes: string) => `${end}\x1b[A${modes}`);
}

/** `stdout` with writes fixed as above; every other property and method is the stream's own. */
export function compactingStream<S extends NodeJS.WritableStream>(stdout: S): S {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? keepCursorOnLastRow(compactCursorMoves(chunk)) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
