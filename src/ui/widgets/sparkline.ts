// A depth history as one line of block characters, scaled from zero so an
// empty queue reads as a flat floor rather than as noise.
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-Math.max(0, width));
  const max = Math.max(0, ...shown);
  return shown
    .map((v) => {
      const level = max > 0 ? Math.round((Math.max(0, v) / max) * (BLOCKS.length - 1)) : 0;
      return BLOCKS[level] ?? BLOCKS[0]!;
    })
    .join('');
}
