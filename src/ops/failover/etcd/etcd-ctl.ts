// One etcdctl call on a host, every value shell-quoted, with the role's TLS
// files (etcdctl's --cacert, --cert and --key, as the probe passes them).
import { quote } from 'shell-quote';
import type { EtcdRole } from '../../../inventory/types.js';

export function etcdctlCommand(role: EtcdRole, endpoint: string, args: readonly string[], commandTimeoutMs: number): string {
  const tls = (['cacert', 'cert', 'key'] as const).flatMap((name) => (role[name] === undefined ? [] : [`--${name}`, role[name]]));
  return quote(['env', 'ETCDCTL_API=3', 'etcdctl', '--dial-timeout=2s', `--command-timeout=${Math.ceil(commandTimeoutMs / 1000)}s`, ...tls, '--endpoints', endpoint, ...args]);
}
