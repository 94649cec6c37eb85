import fc from 'fast-check';
import { expect, test } from 'vitest';
import { compileFilter, type FilterSpec } from '../../src/ui/filter.js';

interface Item {
  name: string;
  state: string;
  tags: Record<string, string>;
}

const spec: FilterSpec<Item> = {
  text: (i) => i.name,
  fields: { state: (i) => i.state },
  other: (i, key) => i.tags[key],
};

const items: Item[] = [
  { name: 'web01', state: 'up', tags: { env: 'prod' } },
  { name: 'web02', state: 'hostkey-mismatch', tags: { env: 'staging' } },
  { name: 'db01', state: 'unreachable', tags: { env: 'prod' } },
];

const names = (query: string) => items.filter(compileFilter(query, spec).matches).map((i) => i.name);

test('terms are case-insensitive regexes that must all match', () => {
  expect(names('WEB')).toEqual(['web01', 'web02']);
  expect(names('web 02$')).toEqual(['web02']);
  expect(names('^(db|web)0[1]')).toEqual(['web01', 'db01']);
});

test('! inverts, fields and tags match globs exactly', () => {
  expect(names('!web')).toEqual(['db01']);
  expect(names('state=unreachable')).toEqual(['db01']);
  expect(names('state=hostkey-*')).toEqual(['web02']);
  expect(names('state=up')).toEqual(['web01']);
  expect(names('env=prod !state=up')).toEqual(['db01']);
  expect(names('env=pro')).toEqual([]);
});

test('a broken regex is matched literally and reported', () => {
  const f = compileFilter('web(', spec);
  expect(f.error).toMatch(/invalid regex/);
  expect(items.filter(f.matches)).toEqual([]);
  expect(compileFilter('  ', spec).empty).toBe(true);
});

test('property: a term and its negation split the items', () => {
  fc.assert(
    fc.property(fc.constantFrom('web', 'db', 'state=up', 'env=prod', '0[12]', 'x'), (term) => {
      const yes = names(term);
      const no = names(`!${term}`);
      expect([...yes, ...no].sort()).toEqual(items.map((i) => i.name).sort());
    }),
  );
});
