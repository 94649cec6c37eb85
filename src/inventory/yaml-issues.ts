// Turns zod issues into InventoryErrors located at the YAML node at fault,
// with the value found appended to the schema's "expected ..." message.
import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import type { InventoryError } from './errors.js';
import { allowedKeys } from './schema.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

/** Parses `value` (found at `path`); on failure records errors and returns undefined. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: YamlPath,
  source: YamlSource,
  errors: InventoryError[],
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = [...path, ...issuePath(issue)];
    errors.push(...zodIssueErrors(issue, at, source, allowedKeys));
  }
  return undefined;
}

/**
 * One zod issue as errors at the YAML node at fault (`path`: the issue's
 * place in the file); an unknown key names the keys `keysAt` allows there.
 * Shared by every YAML file baton validates (inventory, drills, deploys,
 * custom actions).
 */
export function zodIssueErrors(issue: z.core.$ZodIssue, path: YamlPath, source: YamlSource, keysAt: (path: YamlPath) => readonly string[]): InventoryError[] {
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(path);
    return issue.keys.map((key) =>
      source.error([...path, key], known.length ? `unknown key; expected one of ${known.join(', ')}` : 'unknown key', {
        key: true,
        hint: known.length ? didYouMean(key, [...known]) : undefined,
      }),
    );
  }
  const got = source.describe(path);
  return [source.error(path, got === undefined ? issue.message : `${issue.message}, got ${got}`)];
}

/** The issue's own path, without the symbols zod may put in it. */
export function issuePath(issue: z.core.$ZodIssue): YamlPath {
  return issue.path.filter((p): p is string | number => typeof p !== 'symbol');
}
