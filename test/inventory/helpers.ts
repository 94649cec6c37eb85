// Shared by the inventory tests: run a loader and return the errors it threw.
import path from 'node:path';
import { InventoryErrors } from '../../src/inventory/errors.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/inventory');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

/** The InventoryErrors a synchronous load threw. */
export function errorsOf(load: () => unknown): InventoryErrors {
  try {
    load();
  } catch (error) {
    if (error instanceof InventoryErrors) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
}

export async function asyncErrorsOf(load: () => Promise<unknown>): Promise<InventoryErrors> {
  try {
    await load();
  } catch (error) {
    if (error instanceof InventoryErrors) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
}

/** `file:line:column: detail` for each error: all positions asserted at once. */
export function located(errors: InventoryErrors): string[] {
  return errors.errors.map((e) => e.message);
}
