// Inventory text quoted in an error message: what the operator wrote, but
// no more than a short line of it, and with control characters shown as
// text (caret notation, as `cat -v`: ESC is ^[, NUL ^@; C1 as \x9b), so a
// binary file or a hostile name can neither flood nor drive the terminal.

export const SNIPPET_MAX_CHARS = 60;

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

function caret(control: string): string {
  const code = control.charCodeAt(0);
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  return code === 0x7f ? '^?' : `\\x${code.toString(16)}`;
}

/** `text` with every control character shown as printable text. */
export function showControls(text: string): string {
  return text.replace(CONTROLS, caret);
}

/** `"text"`, cut to `max` characters with its full length said, controls shown. */
export function quoteSnippet(text: string, max = SNIPPET_MAX_CHARS): string {
  const chars = [...text];
  if (chars.length <= max) return `"${showControls(text)}"`;
  return `"${showControls(chars.slice(0, max).join(''))}…" (${chars.length.toLocaleString('en')} characters)`;
}
