// `haproxy.weight` arguments, as hatop offers them: an absolute weight, a
// percentage of the configured weight, a step up or down from the current
// one, or back to the configured weight. HAProxy weights are 0..256; a
// percentage is of the configured (initial) weight, as HAProxy's own `N%`
// computes it. The result is always an absolute weight, so what runs on
// every LB is exactly what the plan showed.

export const MAX_WEIGHT = 256;

export type WeightChange =
  | { kind: 'absolute'; value: number }
  | { kind: 'percent'; value: number }
  | { kind: 'relative'; delta: number }
  | { kind: 'configured' };

/** A string says why the text is none of N, N%, +N, -N, configured. */
export function parseWeightChange(text: string): WeightChange | string {
  const t = text.trim();
  if (t === 'configured') return { kind: 'configured' };
  const m = /^([+-]?)(\d{1,5})(%?)$/.exec(t);
  if (!m) return `weight "${t.slice(0, 40)}" is none of N (0..${MAX_WEIGHT}), N% (of the configured weight), +N, -N, configured`;
  const [, sign = '', digits = '', percent = ''] = m;
  const n = Number(digits);
  if (sign && percent) return `weight "${t}": a percentage is of the configured weight, it takes no sign`;
  if (sign) return { kind: 'relative', delta: sign === '-' ? -n : n };
  if (percent) return { kind: 'percent', value: n };
  if (n > MAX_WEIGHT) return `weight ${n} is above HAProxy's maximum, ${MAX_WEIGHT}`;
  return { kind: 'absolute', value: n };
}

export const clampWeight = (w: number): number => Math.min(MAX_WEIGHT, Math.max(0, Math.trunc(w)));

/** The weight the change leads to from `current` (the user weight) and `configured` (the initial one). */
export function resolveWeight(change: WeightChange, current: number, configured: number): number {
  switch (change.kind) {
    case 'absolute':
      return clampWeight(change.value);
    case 'percent':
      // HAProxy: iweight * N / 100 in integers, capped at 256.
      return clampWeight(Math.floor((configured * Math.min(change.value, 25_600)) / 100));
    case 'relative':
      return clampWeight(current + change.delta);
    case 'configured':
      return clampWeight(configured);
  }
}

export function describeWeightChange(change: WeightChange): string {
  switch (change.kind) {
    case 'absolute':
      return String(change.value);
    case 'percent':
      return `${change.value}% of the configured weight`;
    case 'relative':
      return `${change.delta >= 0 ? '+' : ''}${change.delta}`;
    case 'configured':
      return 'the configured weight';
  }
}
