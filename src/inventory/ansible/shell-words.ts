// Python's shlex.split(line, comments=True) in POSIX mode, which is how
// Ansible splits an INI host line and ssh args: whitespace separates words,
// quotes group them, a backslash escapes, and an unquoted `#` ends the line.

export class ShellWordsError extends Error {
  override readonly name = 'ShellWordsError';
}

export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      [word, inWord] = ['', false];
    } else if (c === '#') {
      break;
    } else if (c === '\\') {
      inWord = true;
      // A backslash at the very end escapes nothing and is an error in shlex.
      if (i + 1 >= line.length) throw new ShellWordsError('no escaped character');
      word += line[++i];
    } else if (c === "'") {
      inWord = true;
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ShellWordsError('no closing quotation');
      word += line.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      inWord = true;
      for (i++; ; i++) {
        if (i >= line.length) throw new ShellWordsError('no closing quotation');
        const d = line[i];
        if (d === '"') break;
        // Inside double quotes a backslash escapes only `"` and itself.
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
        else word += d;
      }
    } else {
      inWord = true;
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}
