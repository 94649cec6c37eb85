// A fault's own undo, used when a drill gives no restore: steps. Faults that
// have none (a killed process comes back only the way its host starts it)
// make the restore: list required.
import { quote } from 'shell-quote';
import type { InjectSpec, RestoreSpec } from './drill-spec.js';

/** The iptables rule a block inserts and its undo deletes: the same words, tagged so it is ours. */
export function iptablesRule(port: number, protocol: string): string[] {
  return ['INPUT', '-p', protocol, '--dport', String(port), '-m', 'comment', '--comment', 'baton-drill', '-j', 'DROP'];
}

export function implicitRestore(inject: InjectSpec): RestoreSpec[] | undefined {
  if (inject.lab_fail !== undefined) return [{ lab_heal: inject.lab_fail }];
  if (inject.pacemaker_standby !== undefined) return [{ action: { name: 'pacemaker.online', args: [inject.pacemaker_standby], options: {} } }];
  if (inject.haproxy_maint !== undefined) return [{ action: { name: 'haproxy.ready', args: [inject.haproxy_maint], options: {} } }];
  if (inject.systemctl_stop) return [{ command: { host: inject.systemctl_stop.host, run: quote(['systemctl', 'start', inject.systemctl_stop.unit]) } }];
  if (inject.iptables_block) {
    const { host, port, protocol } = inject.iptables_block;
    return [{ command: { host, run: quote(['iptables', '-D', ...iptablesRule(port, protocol)]) } }];
  }
  return undefined;
}
