import bar from 'blessed-contrib/lib/widget/charts/bar.js';
import line from 'blessed-contrib/lib/widget/charts/line.js';
import { expect, test } from 'vitest';
import { renderOffscreen } from '../../src/ui/widgets/offscreen.js';
import { barsThatFit } from '../../src/ui/widgets/bar-chart.js';

const EVENTS = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'uncaughtException', 'exit'] as const;

test('the off-screen blessed screen leaves no process handlers and writes nothing', () => {
  const before = EVENTS.map((e) => process.listenerCount(e));
  const write = process.stdout.write;
  let written = 0;
  process.stdout.write = ((chunk: string) => ((written += chunk.length), true)) as typeof process.stdout.write;
  try {
    renderOffscreen(30, 10, (box) => line({ ...box }), (c) => c.setData([{ title: 'a', x: ['1', '2', '3'], y: [1, 5, 2] }]));
  } finally {
    process.stdout.write = write;
  }
  expect(EVENTS.map((e) => process.listenerCount(e))).toEqual(before);
  expect(written).toBe(0);
});

test('a line chart comes back as braille cells with its series colour', () => {
  const grid = renderOffscreen(40, 12, (box) => line({ ...box, minY: 0, maxY: 100, style: { line: 'red', text: 'white', baseline: 'black' } }), (c) =>
    c.setData([{ title: 'a', x: ['a', 'b', 'c', 'd'], y: [10, 90, 10, 90], style: { line: 'green' } }]),
  );
  expect(grid).toHaveLength(12);
  expect(grid.every((row) => row.length === 40)).toBe(true);
  const dots = grid.flat().filter((c) => /[\u2801-\u28ff]/.test(c.ch));
  expect(dots.some((c) => c.fg === 2)).toBe(true);
  expect(dots.some((c) => c.fg === 0)).toBe(true);
});

test('bars are background-filled cells under their labels', () => {
  const grid = renderOffscreen(30, 10, (box) => bar({ ...box, barWidth: 4, barSpacing: 7, xOffset: 1, maxHeight: 100, barBgColor: 'blue' }), (c) =>
    c.setData({ titles: ['db', 'web'], data: [100, 50] }),
  );
  const text = grid.map((row) => row.map((c) => (c.bg === 4 ? '#' : c.ch)).join('').trimEnd());
  expect(text[1]).toBe(' #####');
  expect(text[5]).toBe(' #####  #####');
  expect(text[7]).toBe('  db     web');
  expect(barsThatFit(30)).toBe(4);
  expect(barsThatFit(12)).toBe(1);
});
