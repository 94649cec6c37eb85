import { describe, expect, it } from 'vitest';
import { InventoryError, InventoryErrors } from '../../src/inventory/errors.js';

describe('InventoryError', () => {
  it('formats file:line:column: detail', () => {
    const error = new InventoryError(
      { file: 'inventories/lab.yaml', line: 12, column: 5 },
      'hosts.web1.port: expected an integer 1-65535, got "abc"',
    );
    expect(error.message).toBe('inventories/lab.yaml:12:5: hosts.web1.port: expected an integer 1-65535, got "abc"');
    expect([error.file, error.line, error.column]).toEqual(['inventories/lab.yaml', 12, 5]);
    expect(error.describe()).toBe(error.message);
  });

  it('leaves out what it does not know, and shows the hint on its own line', () => {
    const error = new InventoryError({ file: 'x.yaml' }, 'inventory file not found', 'check the path');
    expect(error.message).toBe('x.yaml: inventory file not found');
    expect(error.describe()).toBe('x.yaml: inventory file not found\n  next: check the path');
    expect(new InventoryError({ file: 'x', line: 3 }, 'd').message).toBe('x:3: d');
  });
});

describe('InventoryErrors', () => {
  it('sorts by position, drops repeats and joins the descriptions', () => {
    const late = new InventoryError({ file: 'a', line: 9, column: 1 }, 'late');
    const early = new InventoryError({ file: 'a', line: 2, column: 7 }, 'early', 'fix it');
    const errors = new InventoryErrors([late, early, new InventoryError({ file: 'a', line: 9, column: 1 }, 'late')]);
    expect(errors.errors.map((e) => e.detail)).toEqual(['early', 'late']);
    expect(errors.message).toBe('a:2:7: early\n  next: fix it\na:9:1: late');
  });
});
