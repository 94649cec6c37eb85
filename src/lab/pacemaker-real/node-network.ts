// The real cluster's network, made with iproute2: a bridge in the root
// namespace (10.250.3.1/24), and per node a network namespace whose eth0 is
// one end of a veth pair, the other end on the bridge. The root namespace
// reaches every node and the VIP through the bridge; a node's link going
// down is what a crashed machine looks like to the others.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { NODES } from '../pacemaker/cluster-definition.js';
import { BRIDGE, BRIDGE_ADDRESS, NET_PREFIX, netnsName, NODE_INTERFACE, nodeAddress, SUBNET_PREFIX, vethName, type NodeName } from './real-cluster-files.js';

const IP_TIMEOUT_MS = 10_000;
/**
 * Names the lab dir whose lab made the network. The names are fixed (one
 * lab per machine, as its addresses are), so a lab that failed to start
 * beside a running one must not sweep that one's network away.
 */
const OWNER_FILE = '/run/baton-lab-network.owner';

/** The lab dir that made the network now on this machine, if any. */
export function networkOwner(): string | undefined {
  try {
    return readFileSync(OWNER_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Runs `ip ARGS`; rejects with the command and what ip said. */
export function ip(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: IP_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Names of the lab's network namespaces and links that exist now (ours start with NET_PREFIX). */
export async function labNetworkObjects(): Promise<{ namespaces: string[]; links: string[] }> {
  const namespaces = (await ip('netns', 'list').catch(() => ''))
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NET_PREFIX));
  // `ip -o link` lines: "7: btveth1@if6: <...". The part after @ names the peer.
  const links = (await ip('-o', 'link', 'show').catch(() => ''))
    .split('\n')
    .map((l) => /^\d+: ([^:@\s]+)/.exec(l)?.[1] ?? '')
    .filter((n) => n.startsWith(NET_PREFIX));
  return { namespaces, links };
}

/**
 * Deletes every lab link and namespace; returns what it removed. Deleting a
 * veth's root end destroys both ends, even while a process (a node's sshd)
 * still holds the namespace the other end is in.
 */
export async function removeNetwork(): Promise<string[]> {
  const { namespaces, links } = await labNetworkObjects();
  const removed: string[] = [];
  for (const link of links) {
    if (await ip('link', 'del', link).then(() => true, () => false)) removed.push(`link ${link}`);
  }
  for (const ns of namespaces) {
    if (await ip('netns', 'del', ns).then(() => true, () => false)) removed.push(`network namespace ${ns}`);
  }
  rmSync(OWNER_FILE, { force: true });
  return removed;
}

/** One node's namespace and link, its address on eth0; loopback up. */
async function createNode(node: NodeName): Promise<void> {
  const ns = netnsName(node);
  await ip('netns', 'add', ns);
  await ip('link', 'add', vethName(node), 'type', 'veth', 'peer', 'name', NODE_INTERFACE, 'netns', ns);
  await ip('link', 'set', vethName(node), 'master', BRIDGE, 'up');
  await ip('-n', ns, 'link', 'set', 'lo', 'up');
  await resetNodeAddresses(node);
}

/** The node's eth0 with only its own address, as after a boot: a VIP it held is gone. */
export async function resetNodeAddresses(node: NodeName): Promise<void> {
  const ns = netnsName(node);
  await ip('-n', ns, 'addr', 'flush', 'dev', NODE_INTERFACE);
  await ip('-n', ns, 'addr', 'add', `${nodeAddress(node)}/${SUBNET_PREFIX}`, 'dev', NODE_INTERFACE);
  await ip('-n', ns, 'link', 'set', NODE_INTERFACE, 'up');
}

/**
 * Creates the bridge and every node's namespace and link, after removing
 * what a lab that died may have left (the lab's ports were free, so no
 * other lab runs). Rejects with the `ip` command the
 * kernel refused (no bridge or veth support, no network namespaces), having
 * removed whatever it had made.
 */
export async function createNetwork(labDir: string): Promise<void> {
  await removeNetwork();
  writeFileSync(OWNER_FILE, `${labDir}\n`);
  try {
    await ip('link', 'add', BRIDGE, 'type', 'bridge');
    await ip('addr', 'add', `${BRIDGE_ADDRESS}/${SUBNET_PREFIX}`, 'dev', BRIDGE);
    await ip('link', 'set', BRIDGE, 'up');
    for (const node of NODES) await createNode(node);
  } catch (err) {
    await removeNetwork();
    throw err;
  }
}

/** The root end of the node's veth: down is a pulled cable. */
export async function setNodeLink(node: NodeName, up: boolean): Promise<void> {
  await ip('link', 'set', vethName(node), up ? 'up' : 'down');
}
