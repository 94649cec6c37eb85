// One redis-cli reply, as printed with --json (redis-cli >= 7.0, RESP3 maps)
// or --no-raw (older clients, RESP2 flat arrays), decoded into plain values.
// --raw is never used for what gets parsed: it flattens nested arrays, so an
// XINFO STREAM or XRANGE reply could not be taken apart again.
export type RedisFormat = 'json' | 'no-raw';
export type RedisValue = string | number | boolean | null | RedisValue[] | { [key: string]: RedisValue };
export type Decoded = { value: RedisValue } | { error: string };

export function decodeReply(text: string, format: RedisFormat): Decoded {
  const body = text.replace(/\s+$/, '');
  return format === 'json' ? decodeJson(body) : decodeNoRaw(body);
}

function unreadable(text: string): Decoded {
  return { error: `unreadable redis-cli output: ${text.slice(0, 120) || '(empty)'}` };
}

function decodeJson(text: string): Decoded {
  // redis-cli prints an error reply as `error:"MESSAGE"`, which is not JSON.
  if (text.startsWith('error:')) {
    const message = text.slice('error:'.length);
    try {
      const parsed: unknown = JSON.parse(message);
      return { error: typeof parsed === 'string' ? parsed : message };
    } catch {
      return { error: message };
    }
  }
  try {
    // Counters fit a double until 2^53; nothing here is an id kept as a number.
    return { value: JSON.parse(text) as RedisValue };
  } catch {
    return unreadable(text);
  }
}

// --no-raw prints `N) value` per array element, nested arrays indented under
// their index, and scalars as "quoted", (integer) N, (nil), (error) MSG.
const INDEX = /^ *(\d+)\) /;

class Unreadable extends Error {}

function decodeNoRaw(text: string): Decoded {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length === 1 && lines[0]!.startsWith('(error) ')) return { error: lines[0]!.slice('(error) '.length) };
  try {
    const [value, next] = valueAt(lines, 0, 0);
    if (next !== lines.length) throw new Unreadable();
    return { value };
  } catch (err) {
    if (err instanceof Unreadable || err instanceof RangeError) return unreadable(text);
    throw err;
  }
}

/** The value starting on `lines[i]` at column `col`, and the index of the line after it. */
function valueAt(lines: string[], i: number, col: number): [RedisValue, number] {
  const line = lines[i];
  if (line === undefined) throw new Unreadable();
  const rest = line.slice(col);
  const first = INDEX.exec(rest);
  if (!first) return [scalar(rest), i + 1];
  const items: RedisValue[] = [];
  let j = i;
  let m: RegExpExecArray | null = first;
  while (m && Number(m[1]) === items.length + 1) {
    const [item, next] = valueAt(lines, j, col + m[0].length);
    items.push(item);
    j = next;
    const following = lines[j];
    // The next element sits in the same column, with only indentation before it.
    m = following !== undefined && following.slice(0, col).trim() === '' ? INDEX.exec(following.slice(col)) : null;
  }
  return [items, j];
}

function scalar(text: string): RedisValue {
  if (text === '(nil)') return null;
  if (text === '(empty array)' || text === '(empty list or set)') return [];
  const int = /^\(integer\) (-?\d+)$/.exec(text);
  if (int) return Number(int[1]);
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) return unquote(text.slice(1, -1));
  if (text.startsWith('(error) ')) throw new Unreadable();
  // A status reply (OK, stream, ...) is printed bare.
  return text;
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8, '"': 34, '\\': 92 };

/** redis-cli's sdscatrepr quoting: \" \\ \n \r \t \a \b and \xHH for other bytes. */
function unquote(text: string): string {
  const bytes: Buffer[] = [];
  for (const [, hex, escaped, run] of text.matchAll(/\\x([0-9a-fA-F]{2})|\\([\s\S]?)|([^\\]+)/g)) {
    if (hex !== undefined) bytes.push(Buffer.of(parseInt(hex, 16)));
    else if (run !== undefined) bytes.push(Buffer.from(run, 'utf8'));
    else {
      const code = ESCAPES[escaped ?? ''];
      bytes.push(code === undefined ? Buffer.from(`\\${escaped ?? ''}`, 'utf8') : Buffer.of(code));
    }
  }
  return Buffer.concat(bytes).toString('utf8');
}
