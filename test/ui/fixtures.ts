// Store fixtures for the console tests: a small fleet with groups, tags,
// metrics and history, on a fixed clock.
import type { HostSpec, Inventory } from '../../src/inventory/types.js';
import type { HostMetrics } from '../../src/probes/host-metrics.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import type { HostUpdate } from '../../src/store/types.js';

export const T0 = Date.UTC(2025, 0, 15, 3, 0, 0);
export const INTERVAL = 2000;

export function spec(id: string, groups: string[], tags: Record<string, string> = {}, vars: Record<string, unknown> = {}): HostSpec {
  return {
    id,
    transport: 'ssh',
    address: `${id}.example.net`,
    port: 22,
    user: 'ops',
    identityFiles: ['~/.ssh/id_ed25519'],
    jump: [],
    tags,
    vars,
    roles: {},
    groups,
    source: { file: 'inventory.yaml', line: 1 },
  };
}

export function inventory(hosts: HostSpec[]): Inventory {
  const groups: Record<string, string[]> = {};
  for (const h of hosts) for (const g of h.groups) (groups[g] ??= []).push(h.id);
  return { name: 'prod-eu', format: 'baton', file: 'inventory.yaml', hosts, groups };
}

export function metrics(cpu: number | null, mem: number, extra: Partial<HostMetrics> = {}): HostMetrics {
  return {
    load1: 0.5,
    load5: 0.4,
    load15: 0.3,
    cores: 4,
    cpuPercent: cpu,
    memUsedPercent: mem,
    memTotalBytes: 8 * 1024 ** 3,
    swapUsedPercent: 0,
    disks: [{ mount: '/', fstype: 'ext4', sizeBytes: 50 * 1024 ** 3, usedBytes: 20 * 1024 ** 3, usedPercent: 40 }],
    diskUsedPercentMax: 40,
    disksProblem: null,
    rxBytesPerSec: 1200,
    txBytesPerSec: 800,
    uptimeSeconds: 3 * 86400 + 4 * 3600,
    kernel: '6.1.0-18-amd64',
    os: 'Debian GNU/Linux 12',
    ...extra,
  };
}

export const FLEET: HostSpec[] = [
  spec('web01', ['web'], { env: 'prod', type: 'web' }),
  spec('web02', ['web'], { env: 'prod', type: 'web' }),
  spec('web03', ['web'], { env: 'staging', type: 'web' }),
  spec('db01', ['db'], { env: 'prod', type: 'db' }, { capacity: 2 }),
  spec('db02', ['db'], { env: 'prod', type: 'db' }),
  spec('lb01', ['lb'], { env: 'prod', type: 'lb' }),
];

/** cpu, mem per host: web03 is hot, lb01 idle. */
export const LOADS: Record<string, [number, number]> = {
  web01: [40, 50],
  web02: [45, 50],
  web03: [95, 85],
  db01: [50, 60],
  db02: [55, 60],
  lb01: [5, 10],
};

/** Metrics of every host at poll `i` (counting back from the newest). */
export function fleetUpdates(at: number, i = 0, jitter = true): HostUpdate[] {
  return FLEET.map((h) => {
    const [cpu, mem] = LOADS[h.id]!;
    return { hostId: h.id, kind: 'metrics', at, metrics: metrics(cpu + (jitter ? i % 3 : 0), mem, h.id === 'web03' ? { load1: 9.5, diskUsedPercentMax: 91 } : {}) };
  });
}

/** A fleet that has answered `samples` polls, the last at `T0`; lb01 is unreachable at the end. */
export function fleetStore(samples = 20, options: { readOnly?: boolean; jitter?: boolean } = {}): BatonStore {
  const store = createBatonStore(inventory(FLEET), { readOnly: options.readOnly, now: () => T0 - samples * INTERVAL });
  for (let i = samples - 1; i >= 0; i--) {
    const at = T0 - i * INTERVAL;
    const connect: HostUpdate[] = i === samples - 1 ? FLEET.map((h) => ({ hostId: h.id, kind: 'conn', conn: 'up', at, fingerprint: `SHA256:${h.id}key` })) : [];
    store.getState().applyUpdates([...connect, ...fleetUpdates(at, i, options.jitter ?? true)]);
  }
  store.getState().applyUpdates([{ hostId: 'lb01', kind: 'conn', conn: 'unreachable', at: T0, reason: 'lb01: connection refused', hint: 'is sshd running?' }]);
  return store;
}
