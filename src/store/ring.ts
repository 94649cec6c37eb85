// Fixed-size history for charts: appending never grows memory, which matters
// with 1,000 hosts polled every second for hours.

export interface Ring<T> {
  readonly capacity: number;
  readonly items: readonly T[];
}

export function emptyRing<T>(capacity: number): Ring<T> {
  return { capacity, items: [] };
}

/** Returns a new ring (stores are immutable) holding the last `capacity` items. */
export function pushRing<T>(ring: Ring<T>, item: T): Ring<T> {
  const items = ring.items.length >= ring.capacity ? ring.items.slice(1) : ring.items.slice();
  items.push(item);
  return { capacity: ring.capacity, items };
}
