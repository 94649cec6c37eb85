import { expect, test } from 'vitest';
import { applyCompletion, complete, parseCommand } from '../../src/ui/commands.js';

const sources = { views: ['overview', 'hosts', 'ha'], themes: ['dark', 'light'], hosts: ['web01', 'web02', 'db01'], columns: ['cpu', 'mem'] };

test('completes command names, then their arguments', () => {
  expect(complete('', sources).candidates).toEqual(['view', 'theme', 'host', 'sort', 'filter', 'exec', 'act', 'refresh', 'help', 'quit']);
  expect(complete('th', sources).candidates).toEqual(['theme']);
  expect(complete('view h', sources)).toEqual({ start: 5, candidates: ['hosts', 'ha'] });
  expect(complete('host WEB', sources).candidates).toEqual(['web01', 'web02']);
  expect(complete('refresh x', sources).candidates).toEqual([]);
  expect(complete('view hosts extra', sources).candidates).toEqual([]);
});

test('applying a candidate replaces the word being typed', () => {
  const c = complete('view ho', sources);
  expect(applyCompletion('view ho', c, 'hosts')).toBe('view hosts ');
});

test('parses name and arguments', () => {
  expect(parseCommand('  sort  cpu - ')).toEqual({ name: 'sort', args: ['cpu', '-'] });
  expect(parseCommand('   ')).toBeUndefined();
});
