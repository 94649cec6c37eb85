// While the console owns the screen, a stray console.log or a library's
// warning would write into the middle of the frame. They are held back and
// printed after the terminal is restored instead.

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
const MAX_LINES = 500;

export interface ConsoleCapture {
  /** Puts console back; returns what was written meanwhile (the last MAX_LINES lines). */
  release(): string[];
}

export function captureConsole(target: Pick<Console, (typeof METHODS)[number]> = console): ConsoleCapture {
  const saved = METHODS.map((m) => [m, target[m]] as const);
  const lines: string[] = [];
  for (const method of METHODS) {
    target[method] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a))).join(' '));
      if (lines.length > MAX_LINES) lines.shift();
    };
  }
  return {
    release() {
      for (const [method, fn] of saved) target[method] = fn;
      return lines;
    },
  };
}
