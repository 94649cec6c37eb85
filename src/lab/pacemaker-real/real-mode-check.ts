// Whether the lab can run the real three-node cluster here, and if not,
// exactly why: the lab then runs the CIB-file cluster and says so. Its
// packages are required as root (debian-packages.ts); bridge and veth
// support are only known by trying (node-network.ts).
import { existsSync } from 'node:fs';

const NAMESPACES = ['net', 'mnt', 'uts', 'pid'] as const;

/** undefined when the real cluster can run; else the reason, for `lab status`. */
export function realClusterUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: the real cluster needs namespaces, corosync and pacemakerd as root';
  const missing = NAMESPACES.filter((ns) => !existsSync(`/proc/self/ns/${ns}`));
  if (missing.length) return `the kernel has no ${missing.join(', ')} namespaces (/proc/self/ns/${missing[0]} is missing)`;
  return undefined;
}
