// A LabContext for testing one lab component on its own, without the
// supervisor: real daemons under a temp dir, stopped by `close()`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LabContext, LabHost } from '../../src/lab/component.js';
import { DaemonSet } from '../../src/lab/daemons.js';
import { labHosts, LAB_SSH_PORT } from '../../src/lab/layout.js';

export function testLabContext(dir: string): LabContext & { close(): Promise<void> } {
  const daemons = new DaemonSet(join(dir, 'logs'));
  const abort = new AbortController();
  const hosts: LabHost[] = labHosts().map((h) => {
    const rootDir = join(dir, 'hosts', h.id);
    mkdirSync(rootDir, { recursive: true });
    return { ...h, sshPort: LAB_SSH_PORT, rootDir };
  });
  return {
    dir,
    hosts,
    signal: abort.signal,
    log: () => undefined,
    spawnDaemon: (name, command, args, options) => daemons.spawn(name, command, args, options),
    async close() {
      abort.abort();
      await daemons.stopAll();
    },
  };
}
