// baton's lines on stderr: errors and warnings. They quote data (inventory
// names, file names and contents, what a host said), so every control
// character in them is shown as text; their own line breaks stay.
import { visibleLines } from '../ui/visible-text.js';

export function printNotice(message: string, hint?: string): void {
  process.stderr.write(`baton: ${visibleLines(message)}\n`);
  if (hint) process.stderr.write(`  next: ${visibleLines(hint)}\n`);
}
