// Which inventory host a service notice is about, when the probe names one:
// an etcd member by its client URL, a Pacemaker node by its name. The event
// then carries that host rather than the one that happened to answer, so
// the Events pane's HOST column and its filter point at the right machine.
import type { HostSpec } from '../inventory/types.js';

/** The host part of a URL, else the text itself (a node name). */
function hostPart(hint: string): string {
  try {
    return new URL(hint).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return hint;
  }
}

/**
 * Resolves a hint to a host id: a host whose etcd endpoint is exactly that
 * URL, else one whose id or address is the URL's host or the name (a node
 * name may be the short form of a host's FQDN). Undefined when none or
 * several match: better the answering host than a wrong one.
 */
export function noticeHostResolver(hosts: readonly HostSpec[]): (hint: string | undefined) => string | undefined {
  return (hint) => {
    if (hint === undefined) return undefined;
    const byEndpoint = hosts.filter((h) => h.roles.etcd?.endpoint === hint);
    if (byEndpoint.length === 1) return byEndpoint[0]?.id;
    const name = hostPart(hint);
    const short = (s: string) => s.split('.')[0];
    const byName = hosts.filter((h) => h.id === name || h.address === name || short(h.address) === name || short(h.id) === name);
    return byName.length === 1 ? byName[0]?.id : undefined;
  };
}
