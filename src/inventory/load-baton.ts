// baton's own YAML inventory: validate everything, report every error at its
// file:line:column, then build HostSpecs with host > group > defaults
// precedence and ~/.ssh/config filling what the file leaves unset.
import path from 'node:path';
import { expandHosts, type HostDraft } from './baton-hosts.js';
import { resolveGroups, type ResolvedGroups } from './baton-groups.js';
import { resolveRebalance } from './baton-rebalance.js';
import { resolveSyncSets } from './baton-sync.js';
import { resolveChecks, resolveDevices } from './baton-watch.js';
import { InventoryError, InventoryErrors } from './errors.js';
import { currentUser, expandHome } from './local-env.js';
import { resolveSshHost, type ExplicitSsh, type SshEndpoint } from './resolve-ssh-host.js';
import { fileSchema, groupSchema, hostSchema, type Defaults, type GroupEntry, type HostEntry } from './schema.js';
import type { SshConfig } from './ssh-config.js';
import type { HostSpec, Inventory } from './types.js';
import { validate } from './yaml-issues.js';
import { YamlSource } from './yaml-source.js';

/** Where a `transport: local` host without an address points. */
const LOCAL_ADDRESS = '127.0.0.1';

export function loadBaton(text: string, file: string, ssh: SshConfig): Inventory {
  return loadBatonSource(new YamlSource(file, text), ssh);
}

/** The same, from a file already parsed (format detection parsed it). */
export function loadBatonSource(source: YamlSource, ssh: SshConfig): Inventory {
  const { file } = source;
  if (source.syntaxErrors.length > 0) throw new InventoryErrors(source.syntaxErrors);
  const errors: InventoryError[] = [];
  const document = source.toJS();
  const top = validate(fileSchema, document, [], source, errors);
  const raw = record(document);
  const hostsRaw = record(raw.hosts);
  const drafts = expandHosts(
    source,
    source.keysInOrder(['hosts'], hostsRaw).map((key) => ({
      key,
      entry: validate(hostSchema, hostsRaw[key], ['hosts', key], source, errors),
    })),
    errors,
  );
  const groupsRaw = record(raw.groups);
  const groupEntries = new Map(
    source
      .keysInOrder(['groups'], groupsRaw)
      .map((name) => [name, validate(groupSchema, groupsRaw[name], ['groups', name], source, errors)] as const),
  );
  const groups = resolveGroups(
    source,
    [...groupEntries].map(([name, entry]) => ({ name, entry })),
    drafts.map((d) => d.id),
    errors,
  );
  const hostIds = new Set(drafts.map((d) => d.id));
  const sync = resolveSyncSets(source, record(raw.sync), hostIds, errors);
  const checks = resolveChecks(source, raw.checks, hostIds, errors);
  const devices = resolveDevices(source, raw.devices, hostIds, errors);
  const rebalance = resolveRebalance(source, raw, errors);
  const hosts: HostSpec[] = [];
  if (errors.length === 0) {
    const build = new HostBuilder(source, top?.defaults ?? {}, groups, groupEntries, ssh);
    for (const draft of drafts) {
      try {
        hosts.push(build.host(draft));
      } catch (error) {
        if (!(error instanceof InventoryError)) throw error;
        errors.push(error);
      }
    }
  }
  if (errors.length > 0) throw new InventoryErrors(errors);
  return {
    name: top?.name ?? path.basename(file, path.extname(file)),
    format: 'baton',
    file,
    knownHostsFile: top?.knownHosts === undefined ? undefined : path.resolve(path.dirname(file), expandHome(top.knownHosts)),
    hosts,
    groups: Object.fromEntries(groups.members),
    ...(sync.length > 0 ? { sync } : {}),
    ...(checks.length > 0 ? { checks } : {}),
    ...(devices.length > 0 ? { devices } : {}),
    ...(rebalance ? { rebalance } : {}),
  };
}

class HostBuilder {
  private readonly groupsOf = new Map<string, string[]>();

  constructor(
    private readonly source: YamlSource,
    private readonly defaults: Defaults,
    private readonly groups: ResolvedGroups,
    private readonly entries: Map<string, GroupEntry | undefined>,
    private readonly ssh: SshConfig,
  ) {
    for (const [name, ids] of groups.members) {
      for (const id of ids) this.groupsOf.set(id, [...(this.groupsOf.get(id) ?? []), name]);
    }
  }

  host(draft: HostDraft): HostSpec {
    const entry: HostEntry = draft.entry ?? {};
    const memberOf = this.groupsOf.get(draft.id) ?? [];
    const applied = this.groups.precedence.filter((g) => memberOf.includes(g)).map((g) => this.entries.get(g));
    const transport = entry.transport ?? this.defaults.transport ?? 'ssh';
    return {
      id: draft.id,
      transport,
      ...(transport === 'local' ? this.local(entry, draft) : this.remote(entry, draft)),
      tags: Object.assign({}, this.defaults.tags, ...applied.map((g) => g?.tags), entry.tags),
      vars: Object.assign({}, this.defaults.vars, ...applied.map((g) => g?.vars), entry.vars),
      roles: entry.roles ?? {},
      groups: memberOf,
      source: { file: this.source.file, line: this.source.at(['hosts', draft.key], { key: true }).line },
    };
  }

  /** Local hosts run commands here; ssh settings do not apply to them. */
  private local(entry: HostEntry, draft: HostDraft): SshEndpoint {
    return {
      address: draft.address ?? LOCAL_ADDRESS,
      port: entry.port ?? this.defaults.port ?? 22,
      user: entry.user ?? this.defaults.user ?? currentUser(),
      identityFiles: [],
      jump: [],
    };
  }

  private remote(entry: HostEntry, draft: HostDraft): SshEndpoint {
    const explicit: ExplicitSsh = {};
    if (draft.address !== undefined) explicit.address = draft.address;
    const port = entry.port ?? this.defaults.port;
    if (port !== undefined) explicit.port = port;
    const user = entry.user ?? this.defaults.user;
    if (user !== undefined) explicit.user = user;
    // Relative key paths are relative to the inventory, so a lab's keys can live beside it.
    const identity = entry.identity ?? this.defaults.identity;
    const dir = path.dirname(this.source.file);
    if (identity !== undefined) explicit.identityFiles = identity.map((f) => path.resolve(dir, expandHome(f)));
    const jumpPath = entry.jump !== undefined ? ['hosts', draft.key, 'jump'] : ['defaults', 'jump'];
    const jump = entry.jump ?? this.defaults.jump;
    if (jump !== undefined) explicit.jump = { spec: jump, where: this.source.at(jumpPath) };
    return resolveSshHost(draft.id, explicit, this.ssh);
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
