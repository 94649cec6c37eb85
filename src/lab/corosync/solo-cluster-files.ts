// What the real single-node cluster (`lab up --with corosync`) is made of:
// corosync's configuration and the CIB Pacemaker starts from. Corosync finds
// its own node by matching ring0_addr against the machine's interface
// addresses, and loopback carries only 127.0.0.1 as an address of its own,
// so the ring is there (still inside 127.0.0.0/8).
import { descendants, parseXml } from '../../probes/xml-tree.js';

export const SOLO_CLUSTER = 'baton-solo';
export const SOLO_NODE = 'solo1';
export const SOLO_RESOURCE = 'solo-dummy';
export const SOLO_RING_ADDRESS = '127.0.0.1';
/** corosync's knet port (its default), UDP on SOLO_RING_ADDRESS. */
export const SOLO_KNET_PORT = 5405;
/** Where Pacemaker keeps the CIB: fixed when Debian built it, not configurable. */
export const PACEMAKER_CIB_DIR = '/var/lib/pacemaker/cib';
export const PACEMAKER_PENGINE_DIR = '/var/lib/pacemaker/pengine';

export function corosyncConf(logFile: string): string {
  return [
    'totem {',
    '  version: 2',
    `  cluster_name: ${SOLO_CLUSTER}`,
    '  transport: knet',
    // One node on loopback: nothing to encrypt against, and no key to manage.
    '  crypto_cipher: none',
    '  crypto_hash: none',
    '}',
    'nodelist {',
    '  node {',
    `    ring0_addr: ${SOLO_RING_ADDRESS}`,
    `    name: ${SOLO_NODE}`,
    '    nodeid: 1',
    '  }',
    '}',
    'quorum {',
    '  provider: corosync_votequorum',
    '}',
    'logging {',
    '  to_logfile: yes',
    `  logfile: ${logFile}`,
    '  to_syslog: no',
    '  to_stderr: no',
    '}',
    '',
  ].join('\n');
}

const xmlAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The first CIB: no fencing device, so stonith is off (else nothing starts);
 * dc-deadtime 2 s instead of 20 s, so the lone node elects itself at once; one
 * ocf:pacemaker:Dummy resource whose state file (what its monitor checks)
 * lives in the lab dir, so deleting it is a real resource failure.
 */
export function seedCib(dummyStateFile: string): string {
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-cluster-name" name="cluster-name" value="${SOLO_CLUSTER}"/>
        <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="false"/>
        <nvpair id="opt-dc-deadtime" name="dc-deadtime" value="2s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="${SOLO_RESOURCE}" class="ocf" provider="pacemaker" type="Dummy">
        <instance_attributes id="${SOLO_RESOURCE}-params">
          <nvpair id="${SOLO_RESOURCE}-state" name="state" value="${xmlAttr(dummyStateFile)}"/>
        </instance_attributes>
        <operations>
          <op id="${SOLO_RESOURCE}-monitor" name="monitor" interval="2s"/>
        </operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>
`;
}

/** True when a CIB's text is one this lab wrote (its cluster-name), so it may be replaced. */
export function isSoloCib(xml: string): boolean {
  try {
    return descendants(parseXml(xml, 'CIB'), 'nvpair').some((n) => n.attrs.name === 'cluster-name' && n.attrs.value === SOLO_CLUSTER);
  } catch {
    return false;
  }
}
