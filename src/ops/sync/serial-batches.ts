// Ansible's `serial`: batch sizes as host counts or percentages of all the
// hosts of the rollout (rounded down, at least 1); the last size repeats
// until every host has a batch.

export function batchSize(spec: number | string, total: number): number {
  if (typeof spec === 'number') return Math.max(1, spec);
  const percent = Number(spec.replace(/%$/, ''));
  return Math.max(1, Math.floor((total * percent) / 100));
}

/** Hosts in order, cut into batches; no serial = one batch of every host. */
export function serialBatches<T>(hosts: readonly T[], serial: readonly (number | string)[] | undefined): T[][] {
  if (hosts.length === 0) return [];
  if (!serial || serial.length === 0) return [[...hosts]];
  const batches: T[][] = [];
  let at = 0;
  for (let i = 0; at < hosts.length; i++) {
    const size = batchSize(serial[Math.min(i, serial.length - 1)]!, hosts.length);
    batches.push(hosts.slice(at, at + size));
    at += size;
  }
  return batches;
}
