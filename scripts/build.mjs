// `npm run build`: dist/ as one bundle of baton and every dependency, Ink
// and ssh2 patched on the way in (package-patch.mjs), so an install without scripts,
// npx, a copied package and the single executable all run the same code.
// Type checking is `npm run typecheck`. Then the man page, from the CLI's
// own definitions.
/* global process */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { packagePatchPlugin } from './package-patch.mjs';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const staging = join(root, `dist.building-${process.pid}`);

/**
 * Sources find files beside them through import.meta.url (the package root,
 * lab/app-server.js, cli/main.js). Every output sits one folder below dist/,
 * so each module's import.meta.url becomes the URL it would have as its own
 * dist/ file: those lookups keep working unchanged.
 */
const ownUrlPlugin = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const loader = args.path.endsWith('x') ? 'tsx' : 'ts';
      if (!text.includes('import.meta.url')) return { contents: text, loader };
      const own = '../' + relative(join(root, 'src'), args.path).split(sep).join('/').replace(/\.tsx?$/, '.js');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader };
    });
  },
};

/** blessed loads its widgets by computed name, without the extension esbuild's glob needs. */
const blessedWidgetsPlugin = {
  name: 'blessed-widgets',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]blessed[\\/]lib[\\/]widget\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const call = "require('./widgets/' + file)";
      if (!text.includes(call)) throw new Error(`${args.path}: no ${call} to rewrite (blessed changed?)`);
      return { contents: text.replace(call, "require('./widgets/' + file + '.js')"), loader: 'js' };
    });
  },
};

// CommonJS dependencies inside an ES module bundle still call require().
const banner = [
  "import { createRequire as batonCreateRequire } from 'node:module';",
  "import { fileURLToPath as batonFileURLToPath } from 'node:url';",
  'const require = batonCreateRequire(import.meta.url);',
  'const __filename = batonFileURLToPath(import.meta.url);',
  "const __dirname = batonFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

rmSync(staging, { recursive: true, force: true });
try {
  await build({
    entryPoints: [join(root, 'src/cli/main.ts'), join(root, 'src/lab/app-server.ts')],
    outbase: join(root, 'src'),
    outdir: staging,
    entryNames: '[dir]/[name]',
    chunkNames: 'cli/chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Never loaded by baton: ssh2's optional native crypto and CPU probe (each
    // require guarded, JavaScript fallback), Ink's devtools (DEV=true only),
    // blessed's terminal widget.
    external: ['*.node', 'cpu-features', 'react-devtools-core', 'term.js', 'pty.js'],
    banner: { js: banner },
    plugins: [packagePatchPlugin(join(root, 'patches/ink+6.8.0.patch')), packagePatchPlugin(join(root, 'patches/ssh2+1.17.0.patch')), ownUrlPlugin, blessedWidgetsPlugin],
    logLevel: 'warning',
  });
  // blessed's own terminfo, where its fallback looks (dist/cli/../usr) on a
  // machine without one for xterm.
  mkdirSync(join(staging, 'usr'));
  copyFileSync(join(root, 'node_modules/blessed/usr/xterm'), join(staging, 'usr/xterm'));
  writeFileSync(join(staging, 'baton.1'), execFileSync(process.execPath, [join(staging, 'cli/main.js'), '__man-page'], { encoding: 'utf8' }));
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  throw error;
}

// Swapped in whole: a test running the CLI meanwhile sees one build or the other.
const old = `${dist}.old-${process.pid}`;
if (existsSync(dist)) renameSync(dist, old);
renameSync(staging, dist);
rmSync(old, { recursive: true, force: true });
