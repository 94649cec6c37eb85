// The web app's configuration file: conf/app.conf in each web host's deploy
// root, and the lab's own copy (DIR/app-conf/), which the lab inventory's
// `app-config` sync set keeps every web host like. The app reads it on each
// request (GET /config), so what a host serves is what its file says.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Within a web host's deploy root. */
export const APP_CONFIG_DIR = 'conf';
export const APP_CONFIG_FILE = 'app.conf';

/** The lab's copy: the source of the `app-config` sync set. */
export function appConfigSource(labDir: string): string {
  return join(labDir, 'app-conf');
}

export function appConfigText(): string {
  return `# The lab web app's settings (key = value), read on every request (GET /config).
# Every web host's copy is kept like the lab's (DIR/app-conf/app.conf) by: baton sync apply app-config
greeting = hello from the baton lab
max_body_bytes = 65536
`;
}

/** Writes the lab's copy; each web host gets the same file (apps-component). */
export async function writeAppConfig(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, APP_CONFIG_FILE), appConfigText());
}
