// The slice of blessed and blessed-contrib baton uses (they ship no types).
declare module 'blessed' {
  namespace blessed {
    /** A screen cell: [attribute, character]; attr = flags << 18 | fg << 9 | bg. */
    type Cell = [number, string];
    interface Node {
      render(): unknown;
      destroy(): void;
    }
    interface Program {
      cols: number;
      rows: number;
    }
    interface Screen extends Node {
      program: Program;
      lines: Cell[][];
      append(node: Node): void;
      alloc(): void;
      /** Writes changed cells to the output; baton replaces it with a no-op. */
      draw: (start: number, end: number) => void;
    }
    interface ScreenOptions {
      input: NodeJS.ReadableStream;
      output: NodeJS.WritableStream;
      terminal: string;
      warnings: boolean;
      forceUnicode: boolean;
    }
  }
  const blessed: { screen(options: blessed.ScreenOptions): blessed.Screen; program: unknown };
  export = blessed;
}

declare module 'blessed-contrib/lib/widget/charts/line.js' {
  import type blessed from 'blessed';
  interface LineSeries {
    title: string;
    x: string[];
    y: number[];
    style?: { line?: string };
  }
  interface LineChart extends blessed.Node {
    setData(series: LineSeries[]): void;
  }
  function line(options: Record<string, unknown>): LineChart;
  export = line;
}

declare module 'blessed-contrib/lib/widget/charts/bar.js' {
  import type blessed from 'blessed';
  interface BarChart extends blessed.Node {
    setData(data: { titles: string[]; data: number[] }): void;
  }
  function bar(options: Record<string, unknown>): BarChart;
  export = bar;
}
