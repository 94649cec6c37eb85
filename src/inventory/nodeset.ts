// ClusterShell-style nodesets: `web[01-20]`, `10.0.0.[1-5]`, `rack[1-2]-n[1,3]`,
// `web[1-2],db1`. Expansion order is the written order so that a name pattern
// and an address pattern of the same shape can be zipped.

/** Expanding more names than this is almost certainly a typo (`[1-100000]`). */
export const MAX_NODESET_NAMES = 100_000;

// Beyond 15 digits numbers lose precision as doubles.
const MAX_DIGITS = 15;

export class NodesetError extends Error {
  override readonly name = 'NodesetError';

  constructor(
    readonly pattern: string,
    /** 0-based offset of the offending character in `pattern`. */
    readonly index: number,
    /** What is wrong, without the position. */
    readonly reason: string,
  ) {
    super(`${reason} at position ${index + 1} of "${pattern}"`);
  }
}

/** One comma-separated range list inside brackets, already formatted. */
type Segment = string | string[];

/** Expands a nodeset into names, in written order; throws NodesetError. */
export function expandNodeset(pattern: string): string[] {
  const patterns = splitTopLevel(pattern);
  const parsed = patterns.map(({ text, start }) => parsePattern(pattern, text, start));
  let total = 0;
  for (const segments of parsed) {
    total += countNames(segments);
    if (total > MAX_NODESET_NAMES) {
      throw new NodesetError(pattern, 0, `expands to more than ${MAX_NODESET_NAMES} names`);
    }
  }
  return parsed.flatMap(cartesian);
}

function splitTopLevel(pattern: string): { text: string; start: number }[] {
  const parts: { text: string; start: number }[] = [];
  let start = 0;
  let open = -1;
  for (let i = 0; i <= pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '[') {
      if (open >= 0) throw new NodesetError(pattern, i, 'nested "["');
      open = i;
    } else if (ch === ']') {
      if (open < 0) throw new NodesetError(pattern, i, 'unexpected "]" without "["');
      open = -1;
    } else if ((ch === ',' && open < 0) || ch === undefined) {
      if (ch === undefined && open >= 0) throw new NodesetError(pattern, open, 'unclosed "["');
      if (i === start) throw new NodesetError(pattern, i, 'empty name');
      parts.push({ text: pattern.slice(start, i), start });
      start = i + 1;
    }
  }
  return parts;
}

function parsePattern(pattern: string, text: string, offset: number): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('[', i);
    if (open < 0) {
      segments.push(text.slice(i));
      break;
    }
    if (open > i) segments.push(text.slice(i, open));
    const close = text.indexOf(']', open);
    segments.push(parseRanges(pattern, text.slice(open + 1, close), offset + open + 1));
    i = close + 1;
  }
  return segments;
}

function parseRanges(pattern: string, body: string, offset: number): string[] {
  const names: string[] = [];
  let at = offset;
  for (const item of body.split(',')) {
    names.push(...parseRange(pattern, item, at));
    at += item.length + 1;
    if (names.length > MAX_NODESET_NAMES) {
      throw new NodesetError(pattern, offset, `expands to more than ${MAX_NODESET_NAMES} names`);
    }
  }
  return names;
}

function parseRange(pattern: string, item: string, at: number): string[] {
  if (item === '') throw new NodesetError(pattern, at, 'empty range');
  const match = /^(\d+)(?:-(\d+)(?:\/(\d+))?)?$/.exec(item);
  if (!match) throw new NodesetError(pattern, at, `non-numeric range "${item}"`);
  const [, from = '', to = from, stepText = '1'] = match;
  if (from.length > MAX_DIGITS || to.length > MAX_DIGITS) {
    throw new NodesetError(pattern, at, `number too large in "${item}"`);
  }
  const first = Number(from);
  const last = Number(to);
  const step = Number(stepText);
  if (first > last) throw new NodesetError(pattern, at, `reversed range "${item}"`);
  if (step === 0) throw new NodesetError(pattern, at, `zero step in "${item}"`);
  // The written width of the start sets the padding: [01-20] -> 01..20.
  const width = isPadded(from) ? from.length : 0;
  if (isPadded(to) && to.length !== from.length) {
    throw new NodesetError(pattern, at, `inconsistent zero padding in "${item}"`);
  }
  if ((last - first) / step >= MAX_NODESET_NAMES) {
    throw new NodesetError(pattern, at, `expands to more than ${MAX_NODESET_NAMES} names`);
  }
  const names: string[] = [];
  for (let n = first; n <= last; n += step) names.push(String(n).padStart(width, '0'));
  return names;
}

function isPadded(digits: string): boolean {
  return digits.length > 1 && digits.startsWith('0');
}

function countNames(segments: Segment[]): number {
  return segments.reduce((n, s) => n * (typeof s === 'string' ? 1 : s.length), 1);
}

function cartesian(segments: Segment[]): string[] {
  return segments.reduce<string[]>(
    (names, segment) =>
      typeof segment === 'string'
        ? names.map((name) => name + segment)
        : names.flatMap((name) => segment.map((part) => name + part)),
    [''],
  );
}

interface FoldGroup {
  prefix: string;
  suffix: string;
  width: number;
  numbers: number[];
}

/**
 * The inverse of expandNodeset, for display (`clush -b` style): names that
 * differ only in their last number fold into one range, `web01,web02,web03,db1`
 * -> `db1,web[01-03]`. Padding is kept: a number is padded to the width of
 * the zero-padded names beside it (web09,web10 -> web[09-10]). Names with
 * no number, or with nodeset syntax in them, are listed as they are.
 */
export function foldNodeset(names: readonly string[]): string {
  const parsed = [...new Set(names)].map((name) => ({ name, m: /^(.*?)(\d+)(\D*)$/.exec(name) }));
  const paddedWidths = new Map<string, Set<number>>();
  for (const { m } of parsed) {
    if (m && isPadded(m[2]!)) {
      const key = `${m[1]}\0${m[3]}`;
      paddedWidths.set(key, (paddedWidths.get(key) ?? new Set()).add(m[2]!.length));
    }
  }
  const groups = new Map<string, FoldGroup>();
  const plain: string[] = [];
  for (const { name, m } of parsed) {
    if (!m || /[[\],]/.test(name) || m[2]!.length > MAX_DIGITS) {
      plain.push(name);
      continue;
    }
    const [, prefix = '', digits = '', suffix = ''] = m;
    const padded = paddedWidths.get(`${prefix}\0${suffix}`);
    const width = isPadded(digits) || padded?.has(digits.length) ? digits.length : 0;
    const key = `${prefix}\0${suffix}\0${width}`;
    const group = groups.get(key) ?? { prefix, suffix, width, numbers: [] };
    group.numbers.push(Number(digits));
    groups.set(key, group);
  }
  const folded = [...groups.values()].map((g) => {
    const nums = g.numbers.sort((a, b) => a - b);
    const pad = (n: number) => String(n).padStart(g.width, '0');
    if (nums.length === 1) return `${g.prefix}${pad(nums[0]!)}${g.suffix}`;
    const ranges: string[] = [];
    for (let i = 0; i < nums.length; ) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
      ranges.push(i === j ? pad(nums[i]!) : `${pad(nums[i]!)}-${pad(nums[j]!)}`);
      i = j + 1;
    }
    return `${g.prefix}[${ranges.join(',')}]${g.suffix}`;
  });
  return [...folded, ...plain].sort().join(',');
}
