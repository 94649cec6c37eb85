// GlobalOptions for tests that open a real session against a fleet.
import { DEFAULTS, type GlobalOptions } from '../../src/cli/options.js';

export function sessionOptions(extra: Partial<GlobalOptions>): GlobalOptions {
  return {
    acceptNew: false,
    interval: 0.5,
    concurrency: DEFAULTS.concurrency,
    connectTimeout: 5,
    commandTimeout: 5,
    readOnly: false,
    once: false,
    json: false,
    ...extra,
  };
}
