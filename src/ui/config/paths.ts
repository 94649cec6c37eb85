// Where built-in views/themes ship (package root, both from src/ and dist/)
// and where the operator's own files live.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function defaultConfigDir(): string {
  return join(homedir(), '.config', 'baton');
}
