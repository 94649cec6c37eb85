// Inputs for "a parser never throws" properties: random text, and a real
// capture cut short, with text inserted, or with a piece removed.
import fc from 'fast-check';

export function mangledText(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string(),
    fc.nat(real.length).map((n) => real.slice(0, n)),
    fc.tuple(fc.nat(real.length), fc.string()).map(([n, s]) => real.slice(0, n) + s + real.slice(n)),
    fc.tuple(fc.nat(real.length), fc.nat(40)).map(([n, k]) => real.slice(0, n) + real.slice(n + k)),
  );
}
