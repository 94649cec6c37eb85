// Ink's incremental renderer walks down every unchanged line with one
// "cursor next line" (ESC [ E) each: ~3 bytes per row per frame, most of a
// clock tick over SSH. A run of n of them is the same move as ESC [ n E.
// This stream wrapper rewrites only that; everything else passes through.

// eslint-disable-next-line no-control-regex
const NEXT_LINE_RUN = /(?:\x1b\[E){2,}/g;

export function compactCursorMoves(text: string): string {
  return text.replace(NEXT_LINE_RUN, (run) => `\x1b[${run.length / 3}E`);
}

/** `stdout` with writes compacted; every other property and method is the stream's own. */
export function compactingStream<S extends NodeJS.WritableStream>(stdout: S): S {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? compactCursorMoves(chunk) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
