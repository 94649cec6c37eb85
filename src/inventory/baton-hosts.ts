// Host entries of a baton inventory, expanded from nodesets to one draft per
// host id: `web[1-3]` with address `10.0.0.[1-3]` gives three hosts, zipped.
import type { InventoryError } from './errors.js';
import { expandNodeset, NodesetError } from './nodeset.js';
import { quoteSnippet } from './quote-snippet.js';
import type { HostEntry } from './schema.js';
import type { YamlSource } from './yaml-source.js';

export interface HostDraft {
  id: string;
  /** The `hosts:` key that defined it. */
  key: string;
  /** Undefined when the entry failed validation (its errors are recorded). */
  entry: HostEntry | undefined;
  /** This host's share of the entry's address pattern. */
  address?: string;
}

export function expandHosts(
  source: YamlSource,
  entries: { key: string; entry: HostEntry | undefined }[],
  errors: InventoryError[],
): HostDraft[] {
  const drafts: HostDraft[] = [];
  const definedBy = new Map<string, string>();
  for (const { key, entry } of entries) {
    const path = ['hosts', key];
    const ids = expandAt(source, key, path, { key: true }, errors);
    if (ids === undefined) continue;
    const addresses = entry?.address === undefined ? undefined : expandAt(source, entry.address, [...path, 'address'], {}, errors);
    if (addresses !== undefined && addresses.length !== ids.length) {
      errors.push(
        source.error(
          [...path, 'address'],
          `${quoteSnippet(entry?.address ?? '')} expands to ${addresses.length} address(es) but ${quoteSnippet(key)} names ${ids.length} host(s)`,
          { hint: 'give the address pattern the same count as the name pattern, or give each host its own entry' },
        ),
      );
    }
    ids.forEach((id, i) => {
      const first = definedBy.get(id);
      if (/\s/.test(id)) {
        errors.push(source.error(path, `host id ${quoteSnippet(id)} contains whitespace`, { key: true, hint: 'use a name without spaces; labels belong in tags' }));
      } else if (first !== undefined) {
        const line = source.at(['hosts', first], { key: true }).line;
        errors.push(source.error(path, `duplicate host id ${quoteSnippet(id)} (already defined by ${quoteSnippet(first)} on line ${line})`, { key: true }));
      } else {
        definedBy.set(id, key);
        const address = addresses?.length === ids.length ? addresses[i] : undefined;
        drafts.push(address === undefined ? { id, key, entry } : { id, key, entry, address });
      }
    });
  }
  return drafts;
}

/** Expands a nodeset written at `path`, recording a located error on failure. */
export function expandAt(
  source: YamlSource,
  pattern: string,
  path: (string | number)[],
  options: { key?: boolean },
  errors: InventoryError[],
): string[] | undefined {
  try {
    return expandNodeset(pattern);
  } catch (error) {
    if (!(error instanceof NodesetError)) throw error;
    errors.push(source.error(path, `${error.reason} in nodeset ${quoteSnippet(pattern)}`, { ...options, offset: error.index }));
    return undefined;
  }
}
