// The session options every bench phase uses: read-only, 1 s interval,
// strict host keys from the fleet's own known_hosts file.
import { DEFAULTS, type GlobalOptions } from '../options.js';

export function benchSessionOptions(inventory: string, knownHosts: string | undefined): GlobalOptions {
  return {
    inventory,
    knownHosts,
    acceptNew: false,
    interval: 1,
    concurrency: DEFAULTS.concurrency,
    connectTimeout: 60,
    commandTimeout: 30,
    readOnly: true,
    once: false,
    json: false,
  };
}
