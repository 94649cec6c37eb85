// One Ansible host as a baton HostSpec: the connection variables Ansible's
// ssh plugin reads (where two names exist, the later one, e.g.
// ansible_ssh_host over ansible_host, wins as in Ansible), the jump host in
// the ssh args, `ansible_connection=local`; baton_roles / baton_tags become
// roles and tags; every other variable is a baton var.
import path from 'node:path';
import { InventoryError } from '../errors.js';
import { currentUser, expandHome } from '../local-env.js';
import { quoteSnippet } from '../quote-snippet.js';
import { resolveSshHost, type ExplicitSsh, type SshEndpoint } from '../resolve-ssh-host.js';
import type { SshConfig } from '../ssh-config.js';
import type { HostSpec } from '../types.js';
import { batonRolesAndTags } from './baton-vars.js';
import type { Located, VarMap } from './model.js';
import { readSshArgs } from './ssh-args.js';
import { encryptedValueWarning, findVaulted } from './vault.js';

const CONNECTION_VARS = {
  address: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  key: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
  sshArgs: ['ansible_ssh_common_args', 'ansible_ssh_extra_args'],
  connection: ['ansible_connection'],
  baton: ['baton_roles', 'baton_tags'],
};
const CONSUMED = new Set(Object.values(CONNECTION_VARS).flat());
const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh', 'paramiko_ssh']);
const LOCAL_CONNECTIONS = new Set(['local', 'ansible.builtin.local']);

export interface HostContext {
  ssh: SshConfig;
  /** Relative key files are relative to the inventory, as in baton's YAML. */
  baseDir: string;
  errors: InventoryError[];
  warnings: InventoryError[];
}

/** The HostSpec, or undefined when the host cannot be reached by baton (said in a warning or error). */
export function ansibleHostSpec(name: string, vars: VarMap, groups: string[], where: HostSpec['source'], context: HostContext): HostSpec | undefined {
  const plain: VarMap = new Map();
  for (const [key, located] of vars) {
    const vaulted = findVaulted(located.value);
    if (vaulted !== undefined) context.warnings.push(encryptedValueWarning(key, vaulted.where));
    else plain.set(key, located);
  }
  const errorsBefore = context.errors.length;
  const last = (keys: string[]) => keys.map((k) => plain.get(k)).filter((v) => v !== undefined).at(-1);
  const connection = last(CONNECTION_VARS.connection);
  const kind = connection === undefined ? 'ssh' : String(connection.value);
  if (connection !== undefined && !SSH_CONNECTIONS.has(kind) && !LOCAL_CONNECTIONS.has(kind)) {
    context.warnings.push(new InventoryError(connection.where, `host ${quoteSnippet(name)}: ansible_connection=${kind} is not ssh or local, host skipped`));
    return undefined;
  }
  const { roles, tags } = batonRolesAndTags(plain.get('baton_roles'), plain.get('baton_tags'), context.errors);
  const endpoint = LOCAL_CONNECTIONS.has(kind) ? localEndpoint(last) : remoteEndpoint(name, plain, last, context);
  if (endpoint === undefined || context.errors.length > errorsBefore) return undefined;
  return {
    id: name,
    transport: LOCAL_CONNECTIONS.has(kind) ? 'local' : 'ssh',
    ...endpoint,
    tags,
    vars: Object.fromEntries([...plain].filter(([key]) => !CONSUMED.has(key)).map(([key, located]) => [key, located.value])),
    roles,
    groups,
    source: where,
  };
}

type Last = (keys: string[]) => Located | undefined;

function localEndpoint(last: Last): SshEndpoint {
  const user = last(CONNECTION_VARS.user);
  return { address: '127.0.0.1', port: 22, user: user === undefined ? currentUser() : String(user.value), identityFiles: [], jump: [] };
}

function remoteEndpoint(name: string, vars: VarMap, last: Last, context: HostContext): SshEndpoint | undefined {
  const explicit: ExplicitSsh = {};
  const address = last(CONNECTION_VARS.address);
  if (address !== undefined) explicit.address = String(address.value);
  const port = last(CONNECTION_VARS.port);
  if (port !== undefined) {
    const n = Number(port.value);
    if (Number.isInteger(n) && n >= 1 && n <= 65535) explicit.port = n;
    else context.errors.push(new InventoryError(port.where, `host ${quoteSnippet(name)}: expected a port 1-65535, got ${quoteSnippet(String(port.value))}`));
  }
  const user = last(CONNECTION_VARS.user);
  if (user !== undefined) {
    if (/^\S+$/.test(String(user.value))) explicit.user = String(user.value);
    else context.errors.push(new InventoryError(user.where, `host ${quoteSnippet(name)}: expected a user name without whitespace, got ${quoteSnippet(String(user.value))}`));
  }
  const key = last(CONNECTION_VARS.key);
  if (key !== undefined) explicit.identityFiles = [path.resolve(context.baseDir, expandHome(String(key.value)))];
  // ssh reads the common args before the extra ones, and keeps the first value of an option.
  for (const argsVar of CONNECTION_VARS.sshArgs) {
    const args = vars.get(argsVar);
    if (args === undefined) continue;
    const { jump, ignored } = readSshArgs(String(args.value));
    if (jump !== undefined && explicit.jump === undefined) explicit.jump = { spec: jump, where: args.where };
    if (ignored.length > 0) {
      context.warnings.push(new InventoryError(args.where, `${argsVar}: ${quoteSnippet(ignored.join(' '))} not used by baton (it reads -J, -o ProxyJump and -o ProxyCommand="ssh -W %h:%p ...")`));
    }
  }
  try {
    return resolveSshHost(name, explicit, context.ssh);
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    context.errors.push(error);
    return undefined;
  }
}
