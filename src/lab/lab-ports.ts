// The fixed ports a lab binds, so a second lab (or anything else on them) is
// reported before anything starts instead of as a daemon's bind error.
import { isPrimaryLb, LAB_APP_PORT, LAB_ETCD, LAB_HAPROXY, LAB_MARIADB, LAB_NGINX, LAB_POSTGRESQL, LAB_PROMETHEUS, LAB_RABBITMQ, LAB_REDIS_PORT, type LabExtras, type LabHostSpec } from './layout.js';
import { portFreeOn } from './loopback.js';

function wanted(hosts: readonly LabHostSpec[], extras: LabExtras): Array<[string, number]> {
  return hosts.flatMap((h): Array<[string, number]> => [
    ...(h.roles.includes('web') ? [[h.address, LAB_APP_PORT] as [string, number]] : []),
    ...(h.roles.includes('etcd') ? [[h.address, LAB_ETCD.clientPort], [h.address, LAB_ETCD.peerPort]] as Array<[string, number]> : []),
    ...(h.roles.includes('mq') ? [[h.address, LAB_REDIS_PORT] as [string, number]] : []),
    // Every LB runs HAProxy on its own address; the sorry server and NGINX run on the first only.
    ...(h.roles.includes('lb') ? Object.values(LAB_HAPROXY).filter((p) => p !== LAB_HAPROXY.backupPort || isPrimaryLb(h, hosts)).map((p): [string, number] => [h.address, p]) : []),
    ...(isPrimaryLb(h, hosts) ? [[h.address, LAB_NGINX.port] as [string, number]] : []),
    // epmd also binds 127.0.0.1 (and ::1) on its port, whatever -address says.
    ...(h.roles.includes('mq') && extras.rabbitmq
      ? [...Object.values(LAB_RABBITMQ).map((p): [string, number] => [h.address, p]), ['127.0.0.1', LAB_RABBITMQ.epmdPort] as [string, number]]
      : []),
    ...(h.roles.includes('db') && extras.postgresql ? [[h.address, LAB_POSTGRESQL.port] as [string, number]] : []),
    ...(h.roles.includes('db') && extras.mariadb ? [[h.address, LAB_MARIADB.port] as [string, number]] : []),
    ...(h.roles.includes('mq') && extras.prometheus ? Object.values(LAB_PROMETHEUS).map((p): [string, number] => [h.address, p]) : []),
  ]);
}

/** `address:port` of every lab service port something already listens on. */
export async function busyLabPorts(hosts: readonly LabHostSpec[], extras: LabExtras = {}): Promise<string[]> {
  const busy: string[] = [];
  for (const [address, port] of wanted(hosts, extras)) if (!(await portFreeOn([address], port))) busy.push(`${address}:${port}`);
  return busy;
}
