// Wires inventory -> transports -> monitor -> store for one run of baton.
import pLimit from 'p-limit';
import { loadInventory } from '../inventory/load.js';
import type { HostSpec, Inventory } from '../inventory/types.js';
import { Monitor, ONCE_DISK_WAIT_MS } from '../monitor/monitor.js';
import { createRemoteHostSampler, localHostSampler } from '../monitor/host-sampler.js';
import { planServices } from '../monitor/service-plan.js';
import { planWatches } from '../monitor/watch-plan.js';
import { createBatonStore, type BatonStore } from '../store/store.js';
import { KnownHostsVerifier } from '../transport/host-key-verifier.js';
import { defaultIdentityFiles, loadIdentities, type ParsedKey } from '../transport/identity.js';
import { KnownHosts } from '../transport/known-hosts.js';
import { LocalTransport } from '../transport/local.js';
import { terminalPassphrasePrompt } from '../transport/passphrase-prompt.js';
import { SshTransport } from '../transport/ssh-transport.js';
import type { Transport } from '../transport/types.js';
import { printNotice } from './notice.js';
import type { GlobalOptions } from './options.js';

export interface Session {
  inventory: Inventory;
  store: BatonStore;
  transports: Map<string, Transport>;
  monitor: Monitor;
}

/** Explicit identity files must load; OpenSSH's defaults are skipped when they cannot (as ssh does). */
async function identitiesFor(hosts: HostSpec[]): Promise<{ keys: Map<string, ParsedKey>; defaults: string[] }> {
  const ssh = hosts.filter((h) => h.transport === 'ssh');
  const explicit = ssh.flatMap((h) => [...h.identityFiles, ...h.jump.flatMap((j) => j.identityFiles)]);
  const prompt = terminalPassphrasePrompt();
  const keys = await loadIdentities(explicit, prompt);
  const defaults: string[] = [];
  const needDefaults = ssh.some((h) => h.identityFiles.length === 0 || h.jump.some((j) => j.identityFiles.length === 0));
  for (const file of needDefaults ? defaultIdentityFiles() : []) {
    try {
      const [key] = (await loadIdentities([file], prompt)).values();
      if (key) {
        keys.set(file, key);
        defaults.push(file);
      }
    } catch (err) {
      printNotice(`skipping ${file}: ${(err as Error).message}`);
    }
  }
  return { keys, defaults };
}

export async function openSession(options: GlobalOptions): Promise<Session> {
  const inventory = await loadInventory(options.inventory, { user: options.user, identity: options.identity, inventoryScript: options.inventoryScript });
  for (const warning of inventory.warnings ?? []) printNotice(warning);
  const services = planServices(inventory);
  const watches = planWatches(inventory);
  const store = createBatonStore(inventory, { readOnly: options.readOnly, services, watches });
  const knownHosts = await KnownHosts.load(options.knownHosts ?? inventory.knownHostsFile);
  for (const p of knownHosts.problems) printNotice(`ignoring ${p.message}`);
  const verifier = new KnownHostsVerifier(knownHosts, options.acceptNew, (m) => printNotice(m));
  const { keys, defaults } = await identitiesFor(inventory.hosts);
  const limitSetup = pLimit(options.concurrency);
  const transports = new Map<string, Transport>();
  for (const spec of inventory.hosts) {
    const commandTimeoutMs = options.commandTimeout * 1000;
    transports.set(
      spec.id,
      spec.transport === 'local'
        ? new LocalTransport(spec.id, { commandTimeoutMs })
        : new SshTransport({
            spec,
            verifier,
            identities: keys,
            defaultIdentityFiles: defaults,
            connectTimeoutMs: options.connectTimeout * 1000,
            commandTimeoutMs,
            limitSetup,
          }),
    );
  }
  const localIds = new Set(inventory.hosts.filter((h) => h.transport === 'local').map((h) => h.id));
  const monitor = new Monitor({
    store,
    transports: [...transports.values()],
    samplerFor: (t) => (localIds.has(t.hostId) ? localHostSampler : createRemoteHostSampler(options.once ? { oneShotDiskTimeoutMs: ONCE_DISK_WAIT_MS } : {})),
    services,
    watches,
    intervalMs: options.interval * 1000,
  });
  return { inventory, store, transports, monitor };
}
