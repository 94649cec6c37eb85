// blessed-contrib draws into a blessed screen. Here that screen lives off
// screen: its output is a sink with no terminal behind it and its draw step
// is disabled, so widgets only fill the cell buffer (screen.lines), which
// the chart components turn into Ink text. It must never own the terminal:
// the process-wide handlers blessed installs are removed at once.
import blessed from 'blessed';
import { PassThrough, Writable } from 'node:stream';

/** One cell: character and blessed colour indexes (-1 = terminal default). */
export interface Cell {
  ch: string;
  fg: number;
  bg: number;
}

export type CellGrid = Cell[][];

const DEFAULT_COLOUR = 0x1ff;
const SCREEN_HANDLERS: [string, string][] = [
  ['uncaughtException', '_exceptionHandler'],
  ['SIGTERM', '_sigtermHandler'],
  ['SIGINT', '_sigintHandler'],
  ['SIGQUIT', '_sigquitHandler'],
  ['exit', '_exitHandler'],
];

function removeHandlers(owner: unknown, handlers: [string, string][]): void {
  const statics = owner as Record<string, unknown>;
  for (const [event, key] of handlers) {
    const handler = statics[key];
    if (typeof handler === 'function') process.removeListener(event, handler as (...args: unknown[]) => void);
  }
}

let screen: blessed.Screen | undefined;

function offscreen(width: number, height: number): blessed.Screen {
  if (!screen) {
    const sink = Object.assign(new Writable({ write: (_chunk, _enc, done) => done() }), { columns: width, rows: height, isTTY: false });
    screen = blessed.screen({ input: new PassThrough(), output: sink, terminal: 'xterm', warnings: false, forceUnicode: true });
    screen.draw = () => undefined;
    // blessed would exit the process on SIGINT/uncaught errors; the console owns those.
    removeHandlers(blessed.screen, SCREEN_HANDLERS);
    removeHandlers(blessed.program, [['exit', '_exitHandler']]);
  }
  if (screen.program.cols < width || screen.program.rows < height) {
    screen.program.cols = Math.max(screen.program.cols, width);
    screen.program.rows = Math.max(screen.program.rows, height);
    screen.alloc();
  }
  return screen;
}

export interface WidgetBox {
  screen: blessed.Screen;
  top: 0;
  left: 0;
  width: number;
  height: number;
}

/**
 * Creates a widget at the top-left of the off-screen buffer, lets `draw` feed
 * it data, renders it and returns the `rows` x `width` cells it produced.
 */
export function renderOffscreen<W extends blessed.Node>(
  width: number,
  height: number,
  create: (box: WidgetBox) => W,
  draw: (widget: W) => void,
  rows = height,
): CellGrid {
  const s = offscreen(width, height);
  const widget = create({ screen: s, top: 0, left: 0, width, height });
  s.append(widget);
  try {
    draw(widget);
    widget.render();
    return s.lines.slice(0, Math.min(rows, height)).map((line) =>
      line.slice(0, width).map(([attr, ch]) => {
        const fg = (attr >> 9) & 0x1ff;
        const bg = attr & 0x1ff;
        return { ch, fg: fg === DEFAULT_COLOUR ? -1 : fg, bg: bg === DEFAULT_COLOUR ? -1 : bg };
      }),
    );
  } finally {
    widget.destroy();
  }
}
