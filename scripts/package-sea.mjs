// `npm run package`: dist/baton-<platform>-<arch>, one file for bastions
// without Node. A Node single executable application: this node binary plus
// a small CommonJS starter (Node 20 runs only that kind) and, as assets, the
// dist/ bundle, views, themes, example inventories and package.json. The
// starter unpacks them once per build into ~/.cache/baton/ (keyed by their
// hash, so a new build never runs old files) and imports the bundle from
// there, which then finds views and themes beside it as in a package.
/* global process */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const output = join(root, 'dist', `baton-${process.platform}-${process.arch}`);

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());
}

const files = [...['dist', 'views', 'themes', 'inventories'].flatMap((d) => filesUnder(join(root, d))), join(root, 'package.json')]
  .filter((file) => file !== output && !file.endsWith('.map'))
  .map((file) => relative(root, file))
  .sort();
const hash = createHash('sha256');
for (const file of files) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
const manifest = { id: hash.digest('hex').slice(0, 16), files };

const starter = `'use strict';
const { getAsset } = require('node:sea');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const manifest = JSON.parse(getAsset('manifest.json', 'utf8'));
const cache = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
const home = path.join(cache, 'baton', 'sea-' + manifest.id);
if (!fs.existsSync(path.join(home, 'package.json'))) {
  fs.mkdirSync(path.dirname(home), { recursive: true, mode: 0o700 });
  // Unpacked beside, then renamed: a second baton starting meanwhile never sees half a tree.
  const staging = fs.mkdtempSync(home + '.unpacking-');
  for (const file of manifest.files) {
    fs.mkdirSync(path.join(staging, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(staging, file), new Uint8Array(getAsset(file)));
  }
  try {
    fs.renameSync(staging, home);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(home, 'package.json'))) throw error;
  }
}
import(pathToFileURL(path.join(home, 'dist/cli/main.js')).href).catch((error) => {
  process.stderr.write('baton: ' + (error && error.stack || error) + '\\n');
  process.exit(1);
});
`;

const work = mkdtempSync(join(tmpdir(), 'baton-sea-'));
try {
  writeFileSync(join(work, 'starter.cjs'), starter);
  writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
  const assets = Object.fromEntries([['manifest.json', join(work, 'manifest.json')], ...files.map((f) => [f, join(root, f)])]);
  const config = { main: join(work, 'starter.cjs'), output: join(work, 'sea.blob'), disableExperimentalSEAWarning: true, useCodeCache: false, assets };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config));
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'inherit' });
  rmSync(output, { force: true });
  copyFileSync(process.execPath, output);
  const postject = join(root, 'node_modules/postject/dist/cli.js');
  // postject's own output is LIEF's warnings about ELF notes: shown only when it fails.
  execFileSync(process.execPath, [postject, output, 'NODE_SEA_BLOB', join(work, 'sea.blob'), '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'pipe' });
  process.stdout.write(`${relative(root, output)}: ${(statSync(output).size / 1024 / 1024).toFixed(1)} MiB (${files.length} files inside, unpacked to ~/.cache/baton/sea-${manifest.id} at first start)\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
