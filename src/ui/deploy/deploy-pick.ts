// The "new deploy" dialog's model: the deploys `baton deploy list` shows
// (deploys/, then the inventory's deploys: key), each with the releases it
// can take (release.version, and the directories beside release.from when
// it is `DIR/{version}`); the one under the cursor and the release typed or
// picked with tab. Pure but for reading the deploy files and release dirs.
import { readdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { allDeploys, type DeployLoad } from '../../ops/deploy/load-deploy.js';
import type { Line } from '../widgets/styled-lines.js';

export interface DeployChoice {
  file: string;
  name: string;
  /** Strategy and targets, or the file's first error. */
  summary: string;
  versions: string[];
  broken: boolean;
}

export interface DeployPick {
  items: DeployChoice[];
  cursor: number;
  version: string;
  error?: string;
}

/** The releases a deploy names or has beside its `from`. */
export function knownReleases(load: Extract<DeployLoad, { ok: true }>): string[] {
  const { version, from } = load.deploy.release;
  const out = new Set<string>(version ? [version] : []);
  const dir = from && /^(.*\/)?\{version\}$/.exec(from);
  if (dir) {
    try {
      const base = resolve(dirname(load.file.replace(/#[^/]*$/, '')), dir[1] ?? '.');
      for (const e of readdirSync(base, { withFileTypes: true }).filter((x) => x.isDirectory()).map((x) => x.name).sort()) out.add(e);
    } catch {
      // No release directory yet: the release is typed.
    }
  }
  return [...out];
}

export function deployChoices(dir: string, inventoryFile?: string): DeployChoice[] {
  return allDeploys(dir, inventoryFile).map((d) =>
    d.ok
      ? { file: d.file, name: d.deploy.name, summary: `${d.deploy.strategy.kind} · ${d.deploy.targets}`, versions: knownReleases(d), broken: false }
      : { file: d.file, name: basename(d.file), summary: d.errors[0]?.message ?? 'not valid', versions: [], broken: true },
  );
}

/** The release offered first: release.version, else the first one found. */
export const defaultRelease = (c: DeployChoice | undefined): string => c?.versions[0] ?? '';

/** tab: the next known release after the one shown. */
export function nextRelease(p: DeployPick): string {
  const versions = p.items[p.cursor]?.versions ?? [];
  if (versions.length === 0) return p.version;
  return versions[(versions.indexOf(p.version) + 1) % versions.length]!;
}

export function pickLines(p: DeployPick): Line[] {
  const lines: Line[] = p.items.map((c, i) => [
    { text: `${i === p.cursor ? '>' : ' '} ${c.name.padEnd(20)} `, token: i === p.cursor ? 'focus' : 'text' },
    { text: c.summary, token: c.broken ? 'crit' : 'muted' },
  ]);
  const c = p.items[p.cursor];
  lines.push([]);
  lines.push([{ text: ' release: ', token: 'muted' }, { text: p.version, token: 'text' }, { text: '▏', token: 'focus' }]);
  if (c && c.versions.length > 0) lines.push([{ text: `   known: ${c.versions.join(', ')} (tab)`, token: 'muted' }]);
  return lines;
}
