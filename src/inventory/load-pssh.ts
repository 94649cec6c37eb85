// parallel-ssh hosts files: one `[user@]host[:port]` per line, `#` comments.
// The id is `host[:port]` as written, so two ports on one address stay apart.
import path from 'node:path';
import { InventoryError, InventoryErrors } from './errors.js';
import { HostPortError, parseUserHostPort } from './host-port.js';
import { quoteSnippet } from './quote-snippet.js';
import { resolveSshHost, type ExplicitSsh } from './resolve-ssh-host.js';
import type { SshConfig } from './ssh-config.js';
import type { HostSpec, Inventory } from './types.js';

const NOT_A_HOSTS_FILE_HINT = 'point --inventory at a pssh hosts file (one [user@]host[:port] per line), a baton inventory (.yaml) or an ssh_config';

/** A NUL byte: binary data, which one error says better than one per line of garbage. */
function binaryError(text: string, file: string): InventoryError | undefined {
  const offset = text.indexOf('\0');
  if (offset < 0) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return new InventoryError({ file, line, column }, 'a NUL byte: this is binary data, not a pssh hosts file', NOT_A_HOSTS_FILE_HINT);
}

export function loadPssh(text: string, file: string, ssh: SshConfig): Inventory {
  const binary = binaryError(text, file);
  if (binary) throw new InventoryErrors([binary]);
  const hosts: HostSpec[] = [];
  const errors: InventoryError[] = [];
  const firstLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((lineText, index) => {
    const line = index + 1;
    const content = lineText.replace(/#.*/, '');
    const start = content.search(/\S/);
    if (start < 0) return;
    const written = content.trim();
    try {
      const spec = parseUserHostPort(written);
      const seen = firstLine.get(spec.hostPort);
      if (seen !== undefined) {
        errors.push(new InventoryError({ file, line, column: start + 1 }, `duplicate host ${quoteSnippet(spec.hostPort)} (first on line ${seen})`));
        return;
      }
      firstLine.set(spec.hostPort, line);
      // The host is the name ssh would be given, so a matching alias's HostName applies.
      const explicit: ExplicitSsh = {};
      if (spec.user !== undefined) explicit.user = spec.user;
      if (spec.port !== undefined) explicit.port = spec.port;
      hosts.push({
        id: spec.hostPort,
        transport: 'ssh',
        ...resolveSshHost(spec.host, explicit, ssh),
        tags: {},
        vars: {},
        roles: {},
        groups: [],
        source: { file, line },
      });
    } catch (error) {
      if (error instanceof HostPortError) {
        errors.push(
          new InventoryError({ file, line, column: start + error.index + 1 }, error.message, 'write one [user@]host[:port] per line'),
        );
      } else if (error instanceof InventoryError) {
        errors.push(error);
      } else {
        throw error;
      }
    }
  });
  if (errors.length > 0) throw new InventoryErrors(errors);
  return { name: path.basename(file, path.extname(file)), format: 'pssh', file, hosts, groups: {} };
}
