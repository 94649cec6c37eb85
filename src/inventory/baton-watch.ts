// `checks:` and `devices:` of a baton YAML inventory: each item checked by
// the schema, then resolved: names unique, `from` a host of this inventory
// or `local`, a body pattern that compiles, a TCP port in range.
import type { InventoryError } from './errors.js';
import { checkSchema, deviceSchema } from './schema.js';
import type { HealthCheck, NetworkDevice, ProbeSource } from './types.js';
import { validate } from './yaml-issues.js';
import type { YamlSource } from './yaml-source.js';

/** The `from:` value that means baton's own machine. */
export const LOCAL_SOURCE = 'local';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

function resolveFrom(from: string | undefined, at: (string | number)[], source: YamlSource, hostIds: ReadonlySet<string>, errors: InventoryError[]): ProbeSource | undefined {
  if (from === undefined || from === LOCAL_SOURCE) return { kind: 'local' };
  if (hostIds.has(from)) return { kind: 'host', host: from };
  errors.push(source.error([...at, 'from'], `expected a host of this inventory or ${LOCAL_SOURCE}; no host "${from}"`));
  return undefined;
}

/** Names are keys in the store and in --once --json: each list's must be unique. */
function uniqueName(name: string, at: (string | number)[], source: YamlSource, seen: Set<string>, errors: InventoryError[]): boolean {
  if (!NAME.test(name)) {
    errors.push(source.error([...at, 'name'], 'expected a name of letters, digits, ".", "_", ":", "/" and "-"'));
    return false;
  }
  if (seen.has(name)) {
    errors.push(source.error([...at, 'name'], `expected a unique name; "${name}" is already used above`));
    return false;
  }
  seen.add(name);
  return true;
}

function bodyPatternError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function resolveChecks(source: YamlSource, raw: unknown, hostIds: ReadonlySet<string>, errors: InventoryError[]): HealthCheck[] {
  const checks: HealthCheck[] = [];
  const seen = new Set<string>();
  (Array.isArray(raw) ? raw : []).forEach((item, i) => {
    const at = ['checks', i];
    const entry = validate(checkSchema, item, at, source, errors);
    if (!entry) return;
    const before = errors.length;
    uniqueName(entry.name, at, source, seen, errors);
    const from = resolveFrom(entry.from, at, source, hostIds, errors);
    const body = entry.expect?.body;
    const bad = body === undefined ? undefined : bodyPatternError(body);
    if (bad) errors.push(source.error([...at, 'expect', 'body'], `expected a regular expression (${bad})`));
    if (errors.length > before || !from) return;
    const status = entry.expect?.status;
    checks.push({
      name: entry.name,
      url: entry.url,
      from,
      expectStatus: status === undefined ? [] : Array.isArray(status) ? status : [status],
      ...(body === undefined ? {} : { expectBody: body }),
      ...(entry.expect?.maxMs === undefined ? {} : { maxMs: entry.expect.maxMs }),
      ...(entry.tls?.cacert === undefined ? {} : { cacert: entry.tls.cacert }),
      insecure: entry.tls?.insecure ?? false,
    });
  });
  return checks;
}

export function resolveDevices(source: YamlSource, raw: unknown, hostIds: ReadonlySet<string>, errors: InventoryError[]): NetworkDevice[] {
  const devices: NetworkDevice[] = [];
  const seen = new Set<string>();
  (Array.isArray(raw) ? raw : []).forEach((item, i) => {
    const at = ['devices', i];
    const entry = validate(deviceSchema, item, at, source, errors);
    if (!entry) return;
    const before = errors.length;
    uniqueName(entry.name, at, source, seen, errors);
    const from = resolveFrom(entry.from, at, source, hostIds, errors);
    const port = entry.probe?.startsWith('tcp:') ? Number(entry.probe.slice(4)) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) errors.push(source.error([...at, 'probe'], `expected tcp:PORT with a port 1-65535, got ${port}`));
    if (errors.length > before || !from) return;
    devices.push({
      name: entry.name,
      type: entry.type ?? 'other',
      address: entry.address,
      probe: port === undefined ? { kind: 'icmp' } : { kind: 'tcp', port },
      from,
    });
  });
  return devices;
}
