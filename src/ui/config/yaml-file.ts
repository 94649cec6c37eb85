// Reads a YAML config file and validates it with zod. Errors name the file
// and line so the operator can fix them; callers fall back to defaults.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

export interface ConfigProblem {
  file: string;
  line?: number;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; problem: ConfigProblem };

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // The deepest node that exists: a missing key points at its parent map.
  for (let depth = path.length; depth >= 0; depth--) {
    const keys = path.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k) : k));
    const node = depth === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

export function parseConfig<S extends z.ZodType>(file: string, text: string, schema: S): ConfigResult<z.output<S>> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line ?? counter.linePos(syntax.pos[0]).line;
    return { ok: false, problem: { file, line, message: syntax.message.split('\n')[0]! } };
  }
  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) return { ok: true, value: parsed.data };
  // A misspelt key also makes the real one "missing": report the misspelling.
  const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
  const path: PropertyKey[] = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const where = path.map(String).join('.');
  const line = isMap(doc.contents) || path.length === 0 ? lineOf(doc, counter, path) : undefined;
  return { ok: false, problem: { file, line, message: where ? `${where}: ${issue.message}` : issue.message } };
}

export interface ConfigFile {
  file: string;
  /** File name without extension. */
  stem: string;
  text: string;
}

/** *.yaml and *.yml files of a directory, by name; a missing directory is empty. */
export function readConfigDir(dir: string): { files: ConfigFile[]; problems: ConfigProblem[] } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { files: [], problems: [] };
  }
  const files: ConfigFile[] = [];
  const problems: ConfigProblem[] = [];
  for (const n of names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort()) {
    const file = join(dir, n);
    try {
      files.push({ file, stem: basename(n, extname(n)), text: readFileSync(file, 'utf8') });
    } catch (err) {
      problems.push({ file, message: (err as Error).message });
    }
  }
  return { files, problems };
}

/** Contents of an optional file; undefined when it does not exist. */
export function readOptionalFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
