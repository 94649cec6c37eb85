// Everything baton shows comes, in part, from hosts, services, inventories
// and files: data that may hold control characters. Written raw, ESC and its
// friends drive the operator's terminal (ESC ] 0 ; … BEL retitles the tmux
// pane, ESC [2J wipes rows, CR overwrites a line, LF breaks a table row), so
// every output path shows them as text instead: C0 controls and DEL in caret
// notation (ESC is ^[, LF ^J, TAB ^I, DEL ^?) as `cat -v` does, C1 controls
// (U+0080-U+009F; U+009B is a one-character CSI to some terminals) as \x9b.
// The rule is the inventory's, which quotes names the same way in its errors.
import { showControls } from '../inventory/quote-snippet.js';

/** `text` with every control character shown as printable text; the same string when it has none. */
export const visibleText: (text: string) => string = showControls;

/** As visibleText, line by line: for messages whose own line breaks are part of their form (errors). */
export function visibleLines(text: string): string {
  return text.split('\n').map(visibleText).join('\n');
}
