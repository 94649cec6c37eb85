// Rebalance defaults of a baton YAML inventory: a top-level `rebalance:` or
// `defaults.vars.rebalance` (the seed keeps cluster settings with the vars),
// checked like every other section, at file:line:column. Only one of the two.
import type { InventoryError } from './errors.js';
import { rebalanceSchema } from './schema.js';
import type { RebalanceDefaults } from './types.js';
import { validate } from './yaml-issues.js';
import type { YamlSource } from './yaml-source.js';

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export function resolveRebalance(source: YamlSource, raw: Record<string, unknown>, errors: InventoryError[]): RebalanceDefaults | undefined {
  const vars = record(record(raw.defaults)?.vars);
  const top = 'rebalance' in raw;
  const inVars = vars !== undefined && 'rebalance' in vars;
  if (top && inVars) {
    errors.push(source.error(['rebalance'], 'expected rebalance settings in one place: here or in defaults.vars.rebalance, not both', { key: true }));
    return undefined;
  }
  if (!top && !inVars) return undefined;
  const path = top ? ['rebalance'] : ['defaults', 'vars', 'rebalance'];
  const entry = validate(rebalanceSchema, top ? raw.rebalance : vars!.rebalance, path, source, errors);
  if (!entry) return undefined;
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as RebalanceDefaults;
}
