// Inventory errors carry a source position so the operator can jump straight
// to the offending line; loaders collect them all and throw one aggregate so a
// broken file is fixed in a single pass.

export interface SourcePosition {
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export class InventoryError extends Error {
  override readonly name = 'InventoryError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The message without its `file:line:column: ` prefix. */
  readonly detail: string;
  /** The obvious next step, when there is one. */
  readonly hint: string | undefined;

  constructor(position: SourcePosition, detail: string, hint?: string) {
    const where = [position.file, position.line, position.line === undefined ? undefined : position.column]
      .filter((part) => part !== undefined)
      .join(':');
    super(`${where}: ${detail}`);
    this.file = position.file;
    this.line = position.line;
    this.column = position.line === undefined ? undefined : position.column;
    this.detail = detail;
    this.hint = hint;
  }

  /** The message plus its hint, as printed to the operator. */
  describe(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  next: ${this.hint}`;
  }
}

/** Every error found in one load, in file order. */
export class InventoryErrors extends Error {
  override readonly name = 'InventoryErrors';
  readonly errors: readonly InventoryError[];

  constructor(errors: readonly InventoryError[]) {
    const unique = [...new Map(errors.map((e) => [e.message, e])).values()].sort(byPosition);
    super(unique.map((e) => e.describe()).join('\n'));
    this.errors = unique;
  }
}

function byPosition(a: InventoryError, b: InventoryError): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
