// What a line of a service pane opens with Enter: the service as a whole,
// or one item of it (a server, a node, a resource, a member, a queue).
export type ItemType = 'frontend' | 'backend' | 'server' | 'node' | 'resource' | 'member' | 'queue' | 'alert';

/** The item of lines about the service as a whole (header, alerts, summary). */
export const SERVICE_ITEM = '';

export const itemId = (type: ItemType, name: string): string => `${type}:${name}`;

/** The item's type and name; undefined for SERVICE_ITEM. Names may contain ':' (only the first splits). */
export function parseItem(item: string): { type: ItemType; name: string } | undefined {
  const at = item.indexOf(':');
  if (at < 0) return undefined;
  return { type: item.slice(0, at) as ItemType, name: item.slice(at + 1) };
}
