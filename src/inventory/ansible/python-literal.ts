// Values in Ansible INI inventories go through Python's ast.literal_eval:
// `22` is a number, `True` a boolean, `[1, 'a']` a list, and anything that
// is not a literal (`web1`, `10.0.0.1`) stays the text written. This reads
// the literals inventories use: strings (adjacent ones joined), numbers,
// True/False/None, lists, tuples, dicts and sets.

const NOT_A_LITERAL = Symbol('not a literal');

/** The value Ansible's INI reader gives `text`. */
export function pythonLiteral(text: string): unknown {
  try {
    const reader = new LiteralReader(text);
    const value = reader.value();
    reader.end();
    return value;
  } catch (error) {
    if (error === NOT_A_LITERAL) return text;
    throw error;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
const NUMBER = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?)/;

class LiteralReader {
  private at = 0;

  constructor(private readonly text: string) {
    // Python refuses leading indentation in eval mode.
    if (/^[ \t]/.test(text)) throw NOT_A_LITERAL;
  }

  end(): void {
    this.skip();
    if (this.at < this.text.length) throw NOT_A_LITERAL;
  }

  value(): unknown {
    this.skip();
    const c = this.text[this.at];
    if (c === undefined) throw NOT_A_LITERAL;
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.tuple();
    if (c === '{') return this.braces();
    if (c === '"' || c === "'") return this.strings();
    if (c === '-' || c === '+') {
      this.at++;
      const n = this.value();
      if (typeof n !== 'number') throw NOT_A_LITERAL;
      return c === '-' ? -n : n;
    }
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.at))?.[0];
    if (word !== undefined) {
      this.at += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      throw NOT_A_LITERAL;
    }
    return this.number();
  }

  private number(): number {
    const written = NUMBER.exec(this.text.slice(this.at))?.[0];
    if (written === undefined) throw NOT_A_LITERAL;
    // Python 3 refuses leading zeros on a decimal integer (`007`).
    if (/^0\d*[1-9]\d*$/.test(written.replace(/_/g, '')) || /[A-Za-z0-9_.]/.test(this.text[this.at + written.length] ?? '')) throw NOT_A_LITERAL;
    this.at += written.length;
    const plain = written.replace(/_/g, '');
    return /^0[xob]/i.test(plain) ? Number(plain.toLowerCase()) : Number(plain);
  }

  private strings(): string {
    let joined = '';
    while (this.text[this.at] === '"' || this.text[this.at] === "'") {
      joined += this.string();
      this.skip();
    }
    return joined;
  }

  private string(): string {
    const quote = this.text[this.at++];
    let out = '';
    for (;;) {
      const c = this.text[this.at++];
      if (c === undefined || c === '\n') throw NOT_A_LITERAL;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.at++] ?? '';
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e === 'x' || e === 'u') out += this.hex(e === 'x' ? 2 : 4);
      else out += `\\${e}`;
    }
  }

  private hex(digits: number): string {
    const code = this.text.slice(this.at, this.at + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(code)) throw NOT_A_LITERAL;
    this.at += digits;
    return String.fromCharCode(parseInt(code, 16));
  }

  private sequence(close: string): unknown[] {
    this.at++;
    const items: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.at] === close) break;
      items.push(this.value());
      this.skip();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== close) throw NOT_A_LITERAL;
    }
    this.at++;
    return items;
  }

  /** `(1)` is just 1; `(1,)` and `(1, 2)` are tuples (JSON lists). */
  private tuple(): unknown {
    const start = this.at;
    const items = this.sequence(')');
    const inner = this.text.slice(start + 1, this.at - 1).replace(/#.*$/gm, '').trim();
    return items.length === 1 && !inner.endsWith(',') ? items[0] : items;
  }

  private braces(): unknown {
    this.at++;
    const entries: [unknown, unknown][] = [];
    const set: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.at] === '}') break;
      const key = this.value();
      this.skip();
      if (this.text[this.at] === ':') {
        if (set.length > 0) throw NOT_A_LITERAL;
        this.at++;
        entries.push([key, this.value()]);
      } else {
        if (entries.length > 0) throw NOT_A_LITERAL;
        set.push(key);
      }
      this.skip();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== '}') throw NOT_A_LITERAL;
    }
    this.at++;
    if (set.length > 0) return set;
    return Object.fromEntries(entries.map(([k, v]) => [String(k), v]));
  }

  /** Whitespace, line continuations and `#` comments between tokens. */
  private skip(): void {
    for (;;) {
      const rest = this.text.slice(this.at);
      const gap = /^(?:[ \t\r\n\f]+|\\\n|#[^\n]*)/.exec(rest)?.[0];
      if (gap === undefined || gap === '') return;
      this.at += gap.length;
    }
  }
}
