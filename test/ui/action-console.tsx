// A console whose hosts are this machine through real LocalTransports, with
// the real action engine behind `!`: journal in a temp dir, lock dirs in a
// private runtime dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import type { ActionRegistry } from '../../src/ops/engine/registry.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/types.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { inventory, spec } from './fixtures.js';
import { mount, type Mounted } from './render-app.js';

export interface ActionConsole {
  m: Mounted;
  store: BatonStore;
  service: ActionService;
  journalDir: string;
  transports: Map<string, Transport>;
  close(): Promise<void>;
}

export const hostIds = (n: number, prefix = 'ux'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

export function actionConsole(options: { hosts?: string[]; readOnly?: boolean; journalDir?: string; registry?: ActionRegistry } = {}): ActionConsole {
  const ids = options.hosts ?? hostIds(3);
  const inv = inventory(ids.map((id) => ({ ...spec(id, ['local']), transport: 'local' as const, address: '127.0.0.1' })));
  const store = createBatonStore(inv, { readOnly: options.readOnly });
  store.getState().applyUpdates(ids.map((hostId) => ({ hostId, kind: 'conn' as const, conn: 'up' as const, at: Date.now() })));
  const transports = new Map<string, Transport>(ids.map((id) => [id, new LocalTransport(id)]));
  const journalDir = options.journalDir ?? mkdtempSync(join(tmpdir(), 'baton-ui-journal-'));
  const service = new ActionService({ store, registry: options.registry ?? builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir });
  const m = mount(store, { actions: service, clock: Date.now });
  return {
    m,
    store,
    service,
    journalDir,
    transports,
    close: async () => {
      m.unmount();
      // A test that failed midway may leave an action paused or running: kill it.
      for (const a of service.progress.getState().actions) service.abort(a.id, true);
      await service.settled();
      await Promise.all([...transports.values()].map((t) => t.close()));
      rmSync(journalDir, { recursive: true, force: true });
    },
  };
}
