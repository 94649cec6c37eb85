// `baton lab drift HOST [FILE]`: a file on a host changed behind baton's back,
// as an operator's hand edit would: one line appended, owner and mode kept.
// By default the file the lab's sync sets keep alike there: a web host's
// conf/app.conf, an LB's haproxy.cfg. FILE is relative to the host's deploy
// root and must stay inside it.
import { appendFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { APP_CONFIG_DIR, APP_CONFIG_FILE } from './app-config.js';
import type { LabHost } from './component.js';
import { HAPROXY_CFG } from './haproxy-config.js';

/** The file `lab drift HOST` changes when none is named. */
export function defaultDriftFile(host: LabHost): string | undefined {
  if (host.roles.includes('web')) return `${APP_CONFIG_DIR}/${APP_CONFIG_FILE}`;
  if (host.roles.includes('lb')) return HAPROXY_CFG;
  return undefined;
}

/** Appends a comment line (valid in app.conf and haproxy.cfg alike); resolves with what was done. */
export async function driftFile(host: LabHost, file: string | undefined, now = new Date()): Promise<string> {
  const name = file ?? defaultDriftFile(host);
  if (!name) throw new Error(`${host.id} has no file the lab's sync sets keep; name one: baton lab drift ${host.id} FILE (relative to its deploy root)`);
  if (isAbsolute(name)) throw new Error(`FILE is relative to ${host.id}'s deploy root, got ${name}`);
  const root = await realpath(host.rootDir);
  const path = join(root, name);
  const real = await realpath(path).catch(() => {
    throw new Error(`${host.id}: no file ${name} in its deploy root`);
  });
  const inside = relative(root, real);
  if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${host.id}: ${name} leads outside its deploy root`);
  if (!(await stat(real)).isFile()) throw new Error(`${host.id}: ${name} is not a regular file`);
  await appendFile(real, `# changed behind baton's back by baton lab drift, ${now.toISOString()}\n`);
  return `${host.id}: ${name} changed (a line appended); baton sync status shows it drifted`;
}
