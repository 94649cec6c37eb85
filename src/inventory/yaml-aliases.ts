// Aliases checked before a YAML document is turned into values. An alias is
// cheap to write and costs its anchor's whole size to read, so nine lines of
// nested aliases (the "billion laughs") expand to 10^9 values. The yaml
// library's own guard counts uses per anchor instead, which refuses an
// honest inventory that merges one anchor into more than 100 hosts; and it
// turns an alias inside its own anchor into a cycle, and an unknown one into
// an error with no position.
import { isAlias, isCollection, isNode, isPair, type Alias, type Document } from 'yaml';

/** Far above any real inventory (10,000 hosts of 100 values each), far below a bomb. */
export const MAX_EXPANDED_VALUES = 1_000_000;

export interface AliasProblem {
  alias: Alias;
  detail: string;
  hint: string;
}

/** The first problem in document order, if any: an unknown or self-including alias, or too large an expansion. */
export function aliasProblem(doc: Document, limit = MAX_EXPANDED_VALUES): AliasProblem | undefined {
  // An alias refers to the latest anchor of that name written before it.
  const sizes = new Map<string, number>();
  const open = new Set<string>();
  let values = 0;
  let problem: AliasProblem | undefined;
  const size = (node: unknown): number => {
    if (problem !== undefined) return 0;
    if (isPair(node)) return size(node.key) + size(node.value);
    if (!isNode(node)) return 0;
    if (isAlias(node)) {
      const n = sizes.get(node.source);
      if (open.has(node.source)) {
        problem = { alias: node, detail: `alias *${node.source} inside its own anchor &${node.source}`, hint: 'an anchor cannot include itself: refer to it after its value ends' };
      } else if (n === undefined) {
        problem = { alias: node, detail: `alias *${node.source} has no anchor &${node.source} before it`, hint: 'define the anchor (&name) before any alias (*name) that uses it' };
      } else if ((values += n) > limit) {
        problem = {
          alias: node,
          detail: `alias *${node.source} takes the document past ${limit.toLocaleString('en')} values once aliases are expanded (nested aliases: a "billion laughs")`,
          hint: 'share settings with one level of anchors (&name, <<: *name), or write the values out',
        };
      }
      return n ?? 0;
    }
    values += 1;
    let n = 1;
    if (node.anchor) open.add(node.anchor);
    if (isCollection(node)) for (const item of node.items) n += size(item);
    if (node.anchor) {
      open.delete(node.anchor);
      sizes.set(node.anchor, n);
    }
    return n;
  };
  size(doc.contents);
  return problem;
}
