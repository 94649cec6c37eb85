// Applies a patch-package patch (patches/NAME+VERSION.patch: Ink's, ssh2's)
// to the package's files as esbuild loads them, so the bundle carries the
// patched package whatever node_modules holds: an install that skipped
// scripts, or a tree patch-package already patched.
// Each hunk's old lines must occur exactly once, or its new lines already
// must (patched in place); anything else stops the build.
import { readFileSync } from 'node:fs';
import { basename, sep } from 'node:path';

/** file (relative to the package, e.g. build/dom.js) -> hunks of [old, new] text. */
export function parsePatch(text, pkg) {
  const files = new Map();
  let hunks;
  let hunk;
  for (const line of text.split('\n')) {
    if (line.startsWith(`+++ b/node_modules/${pkg}/`)) {
      hunks = [];
      files.set(line.slice(`+++ b/node_modules/${pkg}/`.length), hunks);
      hunk = undefined;
    } else if (line.startsWith('@@')) {
      hunk = { old: [], new: [] };
      hunks.push(hunk);
    } else if (hunk && !line.startsWith('\\')) {
      if (line.startsWith('diff ')) hunk = undefined;
      else if (line.startsWith('-')) hunk.old.push(line.slice(1));
      else if (line.startsWith('+')) hunk.new.push(line.slice(1));
      else if (line.startsWith(' ') || line === '') {
        hunk.old.push(line.slice(1));
        hunk.new.push(line.slice(1));
      }
    }
  }
  return files;
}

function occurrences(text, part) {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) count++;
  return count;
}

export function applyHunks(text, hunks, where, patchName) {
  let result = text;
  for (const [index, hunk] of hunks.entries()) {
    // A trailing empty context line is the diff's view of "end of file".
    const before = hunk.old.join('\n').replace(/\n$/, '');
    const after = hunk.new.join('\n').replace(/\n$/, '');
    if (occurrences(result, before) === 1) result = result.replace(before, () => after);
    else if (occurrences(result, after) !== 1) throw new Error(`${where}: hunk ${index + 1} of ${patchName} does not apply (is node_modules at the version the patch names?)`);
  }
  return result;
}

/** An esbuild plugin: the patched files of the package come from the patch, not from disk as they are. */
export function packagePatchPlugin(patchFile) {
  const patchName = basename(patchFile);
  const pkg = patchName.slice(0, patchName.lastIndexOf('+'));
  const files = parsePatch(readFileSync(patchFile, 'utf8'), pkg);
  const applied = new Set();
  const inPackage = new RegExp(`node_modules[\\\\/]${pkg}[\\\\/](.*\\.js)$`);
  return {
    name: `patch-${pkg}`,
    setup(build) {
      build.onLoad({ filter: inPackage }, (args) => {
        const file = inPackage.exec(args.path)[1].split(sep).join('/');
        const hunks = files.get(file);
        if (!hunks) return undefined;
        applied.add(file);
        return { contents: applyHunks(readFileSync(args.path, 'utf8'), hunks, args.path, patchName), loader: 'js' };
      });
      build.onEnd((result) => {
        const missed = [...files.keys()].filter((f) => f.endsWith('.js') && !applied.has(f));
        if (result.errors.length === 0 && missed.length > 0) throw new Error(`${pkg} files in ${patchName} never bundled: ${missed.join(', ')}`);
      });
    },
  };
}
