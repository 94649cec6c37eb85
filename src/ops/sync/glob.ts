// include/exclude globs of a sync set, matched against a file's path
// relative to the set's directory: `*` and `?` stay inside one path
// segment, `**/` spans any number of directories, `[...]` is a class.
// A glob without a `/` matches the file's name in any directory (like
// .gitignore), so `*.cfg` means every .cfg file of the tree.

function escape(ch: string): string {
  return /[.+^${}()|\\]/.test(ch) ? `\\${ch}` : ch;
}

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += escape(ch);
  }
  return new RegExp(glob.includes('/') ? `^${out}$` : `(?:^|/)${out}$`);
}

/** True when `rel` is in the set: matches an include (or there are none) and no exclude. */
export function inScope(rel: string, include: readonly string[], exclude: readonly string[]): boolean {
  if (include.length > 0 && !include.some((g) => globToRegExp(g).test(rel))) return false;
  return !exclude.some((g) => globToRegExp(g).test(rel));
}
