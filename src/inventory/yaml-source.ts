// A parsed YAML inventory that can say where any value was written, so every
// error points at file:line:column of the node at fault.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InventoryError, type SourcePosition } from './errors.js';
import { quoteSnippet } from './quote-snippet.js';
import { aliasProblem } from './yaml-aliases.js';

export type YamlPath = readonly (string | number)[];

export class YamlSource {
  readonly doc: Document;
  /** Errors that stop the file being read at all: YAML syntax, aliases (unknown, self-including, expanding too far). */
  readonly syntaxErrors: InventoryError[];
  private readonly lines = new LineCounter();
  private values: { value: unknown } | undefined;

  constructor(
    readonly file: string,
    text: string,
  ) {
    // merge: operators share settings with anchors and `<<: *common`.
    this.doc = parseDocument(text, { lineCounter: this.lines, merge: true, prettyErrors: false });
    this.syntaxErrors = this.doc.errors.map((e) => {
      const position = this.position(e.pos[0]);
      const line = text.split('\n')[(position.line ?? 1) - 1] ?? '';
      // `[web[1-3]]` is the classic: brackets end a plain scalar in a flow list.
      const hint = /\[.*\w\[/.test(line) ? 'quote nodesets inside [ ] lists ("web[1-3]"), or use a block list (- web[1-3])' : undefined;
      return new InventoryError(position, `YAML syntax: ${e.message}`, hint);
    });
    if (this.syntaxErrors.length === 0) this.syntaxErrors.push(...this.aliasErrors());
  }

  /** The document as plain values, built once (read-only to callers); only once syntaxErrors is empty (aliases then expand to a bounded size). */
  toJS(): unknown {
    if (this.values !== undefined) return this.values.value;
    try {
      // aliasProblem() bounded the expansion; the library's per-anchor count would refuse honest merges.
      this.values = { value: this.doc.toJS({ maxAliasCount: -1 }) };
      return this.values.value;
    } catch (error) {
      throw new InventoryError({ file: this.file }, `YAML: ${(error as Error).message}`);
    }
  }

  private aliasErrors(): InventoryError[] {
    const problem = aliasProblem(this.doc);
    if (problem === undefined) return [];
    const { alias, detail, hint } = problem;
    return [new InventoryError(alias.range ? this.position(alias.range[0]) : { file: this.file }, detail, hint)];
  }

  position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /**
   * Where `path` (its key with `key`) was written, or the deepest node on the
   * way there when the path leaves the document (e.g. a key added by `<<`).
   * `offset` moves into a scalar, past its opening quote.
   */
  at(path: YamlPath, options: { key?: boolean; offset?: number } = {}): SourcePosition {
    const { node } = this.walk(path, options.key ?? false);
    if (node?.range === undefined || node.range === null) return { file: this.file, line: 1, column: 1 };
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const inside = options.offset === undefined ? 0 : options.offset + (quoted ? 1 : 0);
    return this.position(node.range[0] + inside);
  }

  error(path: YamlPath, detail: string, options: { key?: boolean; offset?: number; hint?: string } = {}): InventoryError {
    return new InventoryError(this.at(path, options), `${formatPath(path)}: ${detail}`, options.hint);
  }

  /**
   * The keys of `value` (the map at `path`) in written order; keys that only
   * exist through a `<<` merge come last.
   */
  keysInOrder(path: YamlPath, value: Record<string, unknown>): string[] {
    const node = this.exact(path);
    const written = isMap(node) ? node.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : [])) : [];
    const keys = written.filter((key) => Object.hasOwn(value, key));
    return [...new Set([...keys, ...Object.keys(value)])];
  }

  /** `got ...` for a message: the offending value as the operator wrote it. */
  describe(path: YamlPath): string | undefined {
    const node = this.exact(path);
    if (node === undefined) return undefined;
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    if (!isScalar(node)) return undefined;
    if (node.value === null) return 'nothing';
    return typeof node.value === 'string' ? quoteSnippet(node.value) : String(node.value);
  }

  private exact(path: YamlPath): Node | undefined {
    const { node, complete } = this.walk(path, false);
    return complete ? node : undefined;
  }

  private walk(path: YamlPath, key: boolean): { node: Node | undefined; complete: boolean } {
    let node = (this.doc.contents ?? undefined) as Node | undefined;
    for (const [depth, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair === undefined) return { node, complete: false };
        if (key && depth === path.length - 1) return { node: pair.key as Node, complete: true };
        node = (pair.value ?? pair.key) as Node;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment] as Node;
      } else {
        return { node, complete: false };
      }
    }
    return { node, complete: true };
  }
}

/** `hosts.web1.port`, `groups.web.hosts[2]`; the document root is `(top level)`. */
function formatPath(path: YamlPath): string {
  if (path.length === 0) return '(top level)';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
