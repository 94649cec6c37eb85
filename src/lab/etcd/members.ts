// Which lab hosts run etcd members and the command line each member runs.
// Pure, so the flags can be read and tested without starting etcd.
import { join } from 'node:path';
import { LAB_ETCD, type LabHostSpec } from '../layout.js';

export interface EtcdMember {
  /** etcd1, etcd2, ... in the order the 'etcd' hosts appear in the layout. */
  name: string;
  hostId: string;
  address: string;
  clientUrl: string;
  peerUrl: string;
}

export function etcdMembers(hosts: readonly LabHostSpec[]): EtcdMember[] {
  return hosts
    .filter((h) => h.roles.includes('etcd'))
    .map((h, i) => ({
      name: `etcd${i + 1}`,
      hostId: h.id,
      address: h.address,
      clientUrl: `http://${h.address}:${LAB_ETCD.clientPort}`,
      peerUrl: `http://${h.address}:${LAB_ETCD.peerPort}`,
    }));
}

export function memberDataDir(labDir: string, member: EtcdMember): string {
  return join(labDir, 'etcd', member.name);
}

export interface EtcdLaunch {
  dataDir: string;
  /** Unique per `lab up`, so members of an older lab can never join this cluster. */
  clusterToken: string;
  /** 'new' when the cluster is bootstrapped; 'existing' when a member rejoins with its data. */
  state: 'new' | 'existing';
}

export function etcdArgs(member: EtcdMember, cluster: readonly EtcdMember[], launch: EtcdLaunch): string[] {
  return [
    '--name', member.name,
    '--data-dir', launch.dataDir,
    // Only the member's own loopback address: nothing listens on 0.0.0.0 or localhost.
    '--listen-client-urls', member.clientUrl,
    '--advertise-client-urls', member.clientUrl,
    '--listen-peer-urls', member.peerUrl,
    '--initial-advertise-peer-urls', member.peerUrl,
    '--initial-cluster', cluster.map((m) => `${m.name}=${m.peerUrl}`).join(','),
    '--initial-cluster-state', launch.state,
    '--initial-cluster-token', launch.clusterToken,
    // Loopback round trips are sub-millisecond: elect a new leader within about a second.
    '--heartbeat-interval', '100',
    '--election-timeout', '500',
  ];
}
