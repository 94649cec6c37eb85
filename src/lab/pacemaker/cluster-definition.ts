// The lab cluster's configuration: three nodes, a virtual IP and a web server
// in one group, a ping clone on every node. Only definitions: crm_simulate
// never runs resource agents, so nothing is configured on this machine.
// No imports on purpose: capture.sh compiles this one file on its own.

export const CLUSTER_NAME = 'baton-lab';
export const NODES = ['node1', 'node2', 'node3'] as const;
export const GROUP_ID = 'web-group';
/** Primitives a fault can target ('pacemaker:resource:<id>'). */
export const PRIMITIVE_IDS = ['web-vip', 'web-server', 'ping'] as const;
/** Every primitive has one recurring monitor at this interval: the op a failure is injected into. */
export const MONITOR_INTERVAL_MS = 10_000;
export const VIP_ADDRESS = '127.0.3.100';

function monitor(rsc: string): string {
  return `<operations><op id="${rsc}-monitor-10s" name="monitor" interval="${MONITOR_INTERVAL_MS / 1000}s"/></operations>`;
}

function nvpair(prefix: string, name: string, value: string): string {
  return `<nvpair id="${prefix}-${name}" name="${name}" value="${value}"/>`;
}

/**
 * The CIB before any node has joined: configuration only, empty status.
 * - cluster-infrastructure=corosync is what pacemaker-controld records on a
 *   corosync cluster; the lab stands in for both daemons.
 * - migration-threshold=1 on the group: one failure moves it, so a resource
 *   fault shows a failover rather than a restart in place.
 * - resource-stickiness=100: resources stay put when a node comes back, as
 *   most clusters are set up.
 */
export function initialCib(): string {
  const nodes = NODES.map((n, i) => `      <node id="${i + 1}" uname="${n}"/>`).join('\n');
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        ${nvpair('opt', 'stonith-enabled', 'false')}
        ${nvpair('opt', 'no-quorum-policy', 'stop')}
        ${nvpair('opt', 'cluster-name', CLUSTER_NAME)}
        ${nvpair('opt', 'cluster-infrastructure', 'corosync')}
      </cluster_property_set>
    </crm_config>
    <nodes>
${nodes}
    </nodes>
    <resources>
      <group id="${GROUP_ID}">
        <meta_attributes id="${GROUP_ID}-meta">${nvpair(GROUP_ID, 'migration-threshold', '1')}</meta_attributes>
        <primitive id="web-vip" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="web-vip-params">${nvpair('web-vip', 'ip', VIP_ADDRESS)}${nvpair('web-vip', 'cidr_netmask', '32')}</instance_attributes>
          ${monitor('web-vip')}
        </primitive>
        <primitive id="web-server" class="ocf" provider="heartbeat" type="apache">
          <instance_attributes id="web-server-params">${nvpair('web-server', 'configfile', '/etc/apache2/apache2.conf')}</instance_attributes>
          ${monitor('web-server')}
        </primitive>
      </group>
      <clone id="ping-clone">
        <primitive id="ping" class="ocf" provider="pacemaker" type="ping">
          <instance_attributes id="ping-params">${nvpair('ping', 'host_list', '127.0.0.1')}</instance_attributes>
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
