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
    const at = [...path, ...issue.path.filter((p) => typeof p !== 'symbol')];
    errors.push(...issueErrors(issue, at, source));
  }
  return undefined;
}

function issueErrors(issue: z.core.$ZodIssue, path: YamlPath, source: YamlSource): InventoryError[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(path);
    return issue.keys.map((key) =>
      source.error([...path, key], `unknown key; expected one of ${allowed.join(', ')}`, {
        key: true,
        hint: didYouMean(key, allowed),
      }),
    );
  }
  const got = source.describe(path);
  return [source.error(path, got === undefined ? issue.message : `${issue.message}, got ${got}`)];
}
