// Applies patches/ink+6.8.0.patch to Ink's build files as esbuild loads
// them, so the bundle carries the patched Ink whatever node_modules holds:
// an install that skipped scripts, or a tree patch-package already patched.
// Each hunk's old lines must occur exactly once, or its new lines already
// must (patched in place); anything else stops the build.
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';

/** file (relative to the package, e.g. build/dom.js) -> hunks of [old, new] text. */
export function parsePatch(text) {
  const files = new Map();
  let hunks;
  let hunk;
  for (const line of text.split('\n')) {
    const target = /^\+\+\+ b\/node_modules\/ink\/(.*)$/.exec(line);
    if (target) {
      hunks = [];
      files.set(target[1], hunks);
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

export function applyHunks(text, hunks, where) {
  let result = text;
  for (const [index, hunk] of hunks.entries()) {
    // A trailing empty context line is the diff's view of "end of file".
    const before = hunk.old.join('\n').replace(/\n$/, '');
    const after = hunk.new.join('\n').replace(/\n$/, '');
    if (occurrences(result, before) === 1) result = result.replace(before, () => after);
    else if (occurrences(result, after) !== 1) throw new Error(`${where}: hunk ${index + 1} of the Ink patch does not apply (is node_modules/ink 6.8.0?)`);
  }
  return result;
}

/** An esbuild plugin: Ink's patched files come from the patch, not from disk as they are. */
export function inkPatchPlugin(patchFile) {
  const files = parsePatch(readFileSync(patchFile, 'utf8'));
  const applied = new Set();
  return {
    name: 'ink-patch',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/].*\.js$/ }, (args) => {
        const inPackage = /node_modules[\\/]ink[\\/](.*)$/.exec(args.path)[1].split(sep).join('/');
        const hunks = files.get(inPackage);
        if (!hunks) return undefined;
        applied.add(inPackage);
        return { contents: applyHunks(readFileSync(args.path, 'utf8'), hunks, args.path), loader: 'js' };
      });
      build.onEnd((result) => {
        const missed = [...files.keys()].filter((f) => f.endsWith('.js') && !applied.has(f));
        if (result.errors.length === 0 && missed.length > 0) throw new Error(`Ink files in the patch never bundled: ${missed.join(', ')}`);
      });
    },
  };
}
