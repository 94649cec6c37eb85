// The lab's network devices: loopback addresses at the top of the lab's
// range (clear of --hosts, lb2 and db2) that answer ping as any 127/8
// address does; baton probes them by ICMP from its own machine. Pure.
import type { DeviceType } from '../../inventory/types.js';

export interface LabDevice {
  name: string;
  type: DeviceType;
  address: string;
}

export const LAB_DEVICES: readonly LabDevice[] = [
  { name: 'core-sw1', type: 'switch', address: '127.0.3.240' },
  { name: 'edge-fw1', type: 'firewall', address: '127.0.3.241' },
  { name: 'rtr1', type: 'router', address: '127.0.3.242' },
];

/** The rule `lab fail device:NAME` inserts and heal deletes: the same words, tagged so it is the lab's. */
export function dropRule(address: string): string[] {
  return ['INPUT', '-d', `${address}/32`, '-m', 'comment', '--comment', 'baton-lab device', '-j', 'DROP'];
}
