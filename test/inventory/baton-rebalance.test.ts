// `rebalance:` (or defaults.vars.rebalance) in baton YAML: the defaults `R`
// and `baton act rebalance` start from, each mistake at file:line:column.
import { describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, located } from './helpers.js';

const FILE = 'inventories/rebalance.yaml';
const none = new SshConfig('(none)');
const load = (text: string) => loadBaton(text, FILE, none);
const failures = (text: string) => located(errorsOf(() => load(text)));
const HOSTS = 'hosts:\n  web1: { address: 127.0.0.1 }\n';

describe('rebalance defaults in the inventory', () => {
  it('reads a top-level rebalance: key', () => {
    expect(load(`${HOSTS}rebalance: { strategy: least_loaded, band: 15, maxStepPercent: 25, settleSeconds: 8 }\n`).rebalance).toEqual({ strategy: 'least_loaded', band: 15, maxStepPercent: 25, settleSeconds: 8 });
  });

  it('reads defaults.vars.rebalance', () => {
    expect(load(`${HOSTS}defaults:\n  vars:\n    rebalance: { band: 5 }\n`).rebalance).toEqual({ band: 5 });
  });

  it('leaves it out when the file has none', () => {
    expect(load(HOSTS).rebalance).toBeUndefined();
  });

  it('reports a bad strategy, band and key at their line and column', () => {
    expect(failures(`${HOSTS}rebalance:\n  strategy: fastest\n  band: 0\n  bnad: 3\n`)).toEqual([
      expect.stringMatching(/^inventories\/rebalance\.yaml:4:13: rebalance.strategy: expected one of resource_based, least_loaded, round_robin, weighted_random, got "fastest"/),
      expect.stringMatching(/^inventories\/rebalance\.yaml:5:9: rebalance.band: expected percent points between 1 and 50, got 0/),
      expect.stringMatching(/^inventories\/rebalance\.yaml:6:3: rebalance.bnad: unknown key; expected one of strategy, band, maxStepPercent, settleSeconds/),
    ]);
  });

  it('checks defaults.vars.rebalance the same way, and refuses both places at once', () => {
    expect(failures(`${HOSTS}defaults:\n  vars:\n    rebalance: { band: 90 }\n`)).toEqual([expect.stringMatching(/^inventories\/rebalance\.yaml:5:24: defaults.vars.rebalance.band: expected percent points between 1 and 50, got 90/)]);
    expect(failures(`${HOSTS}defaults:\n  vars:\n    rebalance: { band: 9 }\nrebalance: { band: 9 }\n`)).toEqual([expect.stringMatching(/:6:1: rebalance: expected rebalance settings in one place/)]);
  });
});
