// What the real three-node cluster is made of: its network (a bridge in the
// root namespace, one veth and one network namespace per node), corosync's
// configuration, the CIB every node starts from and the web server's nginx
// configuration. Pure: the same names the lab creates, `lab down` and the
// leftovers check remove.
import { CLUSTER_NAME, GROUP_ID, NODES } from '../pacemaker/cluster-definition.js';

export type NodeName = (typeof NODES)[number];

/** Every network object the lab creates starts with this (bridge, veths, namespaces). */
export const NET_PREFIX = 'bt';
export const BRIDGE = 'btbr0';
export const SUBNET_PREFIX = 24;
export const BRIDGE_ADDRESS = '10.250.3.1';
export const VIP = '10.250.3.100';
export const WEB_PORT = 80;
/** The node's side of its veth pair, inside its namespace. */
export const NODE_INTERFACE = 'eth0';

export const nodeIndex = (node: NodeName): number => NODES.indexOf(node);
/** node1 -> 10.250.3.11 */
export const nodeAddress = (node: NodeName): string => `10.250.3.${11 + nodeIndex(node)}`;
/** node1 -> btnode1 (ip netns name) */
export const netnsName = (node: NodeName): string => `${NET_PREFIX}${node}`;
/** node1 -> btveth1 (the root namespace's end, on the bridge) */
export const vethName = (node: NodeName): string => `${NET_PREFIX}veth${nodeIndex(node) + 1}`;

/**
 * Timers for a lab on one machine (corosync's defaults are for real
 * networks): the token is lost after 1.5 s instead of 3 s + 650 ms per node,
 * so a crashed node is noticed within about 3.5 s (token + consensus).
 * wait_for_all: the first quorum waits until all three nodes have joined,
 * so resources start once, where the scheduler puts them with every node
 * up, rather than wherever the first two nodes to join happen to be.
 */
export function corosyncConf(logDir: string, node: NodeName): string {
  const nodes = NODES.flatMap((n, i) => ['  node {', `    ring0_addr: ${nodeAddress(n)}`, `    name: ${n}`, `    nodeid: ${i + 1}`, '  }']);
  return [
    '# baton lab: written by `baton lab up`; this node\'s own copy (its /etc/corosync).',
    'totem {',
    '  version: 2',
    `  cluster_name: ${CLUSTER_NAME}`,
    '  transport: knet',
    // The nodes talk over a bridge on this machine only: no key to manage.
    '  crypto_cipher: none',
    '  crypto_hash: none',
    '  token: 1500',
    '  token_coefficient: 0',
    '}',
    'nodelist {',
    ...nodes,
    '}',
    'quorum {',
    '  provider: corosync_votequorum',
    '  wait_for_all: 1',
    '}',
    'logging {',
    '  to_logfile: yes',
    `  logfile: ${logDir}/${node}-corosync.log`,
    '  to_syslog: no',
    '  to_stderr: no',
    '  timestamp: on',
    '}',
    '',
  ].join('\n');
}

/**
 * The page names the node that served it ($hostname is the node's UTS
 * namespace), so a client sees a failover. Pid file and temp paths live in
 * the node's own /run; it listens on the VIP only, as a service behind a
 * floating address does.
 */
export function nginxConf(): string {
  return `# baton lab: the web server behind the cluster's VIP (resource web-server, ocf:heartbeat:nginx)
worker_processes 1;
pid /run/nginx/nginx.pid;
error_log /run/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path /run/nginx/body;
  proxy_temp_path /run/nginx/proxy;
  fastcgi_temp_path /run/nginx/fastcgi;
  uwsgi_temp_path /run/nginx/uwsgi;
  scgi_temp_path /run/nginx/scgi;
  server {
    listen ${VIP}:${WEB_PORT};
    location / { default_type text/plain; return 200 "served by $hostname\\n"; }
  }
}
`;
}

const xmlAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function nvpair(prefix: string, name: string, value: string): string {
  return `<nvpair id="${prefix}-${name}" name="${name}" value="${xmlAttr(value)}"/>`;
}

const monitor = (rsc: string) => `<operations><op id="${rsc}-monitor-10s" name="monitor" interval="10s"/></operations>`;

/**
 * The CIB all three nodes start from (same epoch on each, so none overrides
 * another). The resources of the CIB-file lab, with agents that really run:
 * - web-vip: IPaddr2 puts the VIP on the node's eth0 and announces it (ARP);
 * - web-server: nginx, after the VIP in the group;
 * - ping-clone: pings the bridge from every node (attribute pingd).
 * stonith-enabled=false: there is no fencing device in the lab.
 * dc-deadtime 2 s: a node that starts waits 2 s, not 20, for a DC to show.
 */
export function realCib(nginxConfFile: string): string {
  const nodes = NODES.map((n, i) => `      <node id="${i + 1}" uname="${n}"/>`).join('\n');
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        ${nvpair('opt', 'stonith-enabled', 'false')}
        ${nvpair('opt', 'no-quorum-policy', 'stop')}
        ${nvpair('opt', 'cluster-name', CLUSTER_NAME)}
        ${nvpair('opt', 'dc-deadtime', '2s')}
        ${nvpair('opt', 'cluster-recheck-interval', '1min')}
      </cluster_property_set>
    </crm_config>
    <nodes>
${nodes}
    </nodes>
    <resources>
      <group id="${GROUP_ID}">
        <meta_attributes id="${GROUP_ID}-meta">${nvpair(GROUP_ID, 'migration-threshold', '1')}</meta_attributes>
        <primitive id="web-vip" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="web-vip-params">${nvpair('web-vip', 'ip', VIP)}${nvpair('web-vip', 'cidr_netmask', String(SUBNET_PREFIX))}</instance_attributes>
          ${monitor('web-vip')}
        </primitive>
        <primitive id="web-server" class="ocf" provider="heartbeat" type="nginx">
          <instance_attributes id="web-server-params">${nvpair('web-server', 'configfile', nginxConfFile)}</instance_attributes>
          ${monitor('web-server')}
        </primitive>
      </group>
      <clone id="ping-clone">
        <primitive id="ping" class="ocf" provider="pacemaker" type="ping">
          <instance_attributes id="ping-params">${nvpair('ping', 'host_list', BRIDGE_ADDRESS)}</instance_attributes>
          ${monitor('ping')}
        </primitive>
      </clone>
    </resources>
    <constraints/>
    <rsc_defaults>
      <meta_attributes id="rsc-options">${nvpair('rsc-options', 'resource-stickiness', '100')}</meta_attributes>
    </rsc_defaults>
  </configuration>
  <status/>
</cib>
`;
}
