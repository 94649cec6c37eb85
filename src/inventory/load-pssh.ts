// parallel-ssh hosts files: one `[user@]host[:port]` per line, `#` comments.
// The id is `host[:port]` as written, so two ports on one address stay apart.
import path from 'node:path';
import { InventoryError, InventoryErrors } from './errors.js';
import { HostPortError, parseUserHostPort } from './host-port.js';
import { resolveSshHost, type ExplicitSsh } from './resolve-ssh-host.js';
import type { SshConfig } from './ssh-config.js';
import type { HostSpec, Inventory } from './types.js';

export function loadPssh(text: string, file: string, ssh: SshConfig): Inventory {
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
        errors.push(new InventoryError({ file, line, column: start + 1 }, `duplicate host "${spec.hostPort}" (first on line ${seen})`));
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
