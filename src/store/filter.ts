// The `/` filter language, shared by the hosts and events panes:
//   web db          every term must match (regex, case-insensitive)
//   !web            a leading ! inverts a term
//   env=prod        field or tag equals a glob (* and ?), case-insensitive
//   state=hostkey-* fields are pane-specific (state, group, severity, ...)
// A broken regex is matched literally and reported, never thrown.

export type FieldValue = string | readonly string[] | undefined;

export interface FilterSpec<T> {
  /** The text plain terms search. */
  text(item: T): string;
  fields: Record<string, (item: T) => FieldValue>;
  /** Fallback for keys that are not fields (hosts: tags). */
  other?(item: T, key: string): FieldValue;
}

export interface CompiledFilter<T> {
  matches(item: T): boolean;
  /** True when the query is blank: callers skip filtering entirely. */
  empty: boolean;
  error?: string;
}

interface Term<T> {
  negate: boolean;
  test(item: T): boolean;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^(?:${body})$`, 'i');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function valueMatches(value: FieldValue, pattern: RegExp): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return pattern.test(value);
  return value.some((v) => pattern.test(v));
}

export function compileFilter<T>(query: string, spec: FilterSpec<T>): CompiledFilter<T> {
  const words = query.trim().split(/\s+/).filter((w) => w !== '' && w !== '!');
  if (words.length === 0) return { matches: () => true, empty: true };
  const errors: string[] = [];
  const terms = words.map((word): Term<T> => {
    const negate = word.startsWith('!');
    const body = negate ? word.slice(1) : word;
    const field = /^([A-Za-z_][\w.-]*)=(.*)$/.exec(body);
    if (field) {
      const key = field[1]!.toLowerCase();
      const pattern = globToRegExp(field[2]!);
      const get = spec.fields[key];
      return {
        negate,
        test: get ? (item) => valueMatches(get(item), pattern) : (item) => valueMatches(spec.other?.(item, field[1]!), pattern),
      };
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(body, 'i');
    } catch {
      errors.push(`invalid regex "${body}", matched literally`);
      pattern = new RegExp(escapeRegExp(body), 'i');
    }
    return { negate, test: (item) => pattern.test(spec.text(item)) };
  });
  return {
    matches: (item) => terms.every((t) => t.test(item) !== t.negate),
    empty: false,
    error: errors.length > 0 ? errors.join('; ') : undefined,
  };
}
