// Where `--record NAME` puts a recording given as a bare name, and where
// `baton record ls` looks: ${XDG_STATE_HOME:-~/.local/state}/baton/recordings.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CAST_EXTENSION = '.cast';
export const EVENTS_SUFFIX = '.events.jsonl';

export function recordingsDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'baton', 'recordings');
}

/** A bare name (no /) goes to the recordings folder, with .cast added if it has no extension; a path is taken as it is. */
export function recordingPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  if (name.includes('/')) return resolve(name);
  return join(recordingsDir(env), /\.[^.]+$/.test(name) ? name : `${name}${CAST_EXTENSION}`);
}

/** The events file beside a cast: FILE.events.jsonl. */
export function eventsPathFor(castPath: string): string {
  return `${castPath}${EVENTS_SUFFIX}`;
}
