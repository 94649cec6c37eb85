// Store fixtures shared by store, CLI and UI tests.
import type { HostSpec, Inventory } from '../../src/inventory/types.js';
import type { HostMetrics } from '../../src/probes/host-metrics.js';

export function hostSpec(id: string, extra: Partial<HostSpec> = {}): HostSpec {
  return {
    id,
    transport: 'ssh',
    address: `127.0.1.${id.length}`,
    port: 22,
    user: 'ops',
    identityFiles: [],
    jump: [],
    tags: {},
    vars: {},
    roles: {},
    groups: [],
    source: { file: 'test.yaml' },
    ...extra,
  };
}

export function inventoryOf(ids: string[]): Inventory {
  return { name: 'test', format: 'baton', file: 'test.yaml', hosts: ids.map((id) => hostSpec(id)), groups: {} };
}

export function metrics(extra: Partial<HostMetrics> = {}): HostMetrics {
  return {
    load1: 0.5,
    load5: 0.4,
    load15: 0.3,
    cores: 4,
    cpuPercent: 12.5,
    memUsedPercent: 40,
    memTotalBytes: 8 * 2 ** 30,
    swapUsedPercent: null,
    disks: [{ mount: '/', fstype: 'ext4', sizeBytes: 100, usedBytes: 50, usedPercent: 50 }],
    diskUsedPercentMax: 50,
    disksProblem: null,
    rxBytesPerSec: 1000,
    txBytesPerSec: 2000,
    uptimeSeconds: 3600,
    kernel: '6.1.0',
    os: 'Debian GNU/Linux 12 (bookworm)',
    ...extra,
  };
}
