// How long ago, in the words the Checks and Network panes and their events use.

/** `8 s`, `3 min`, `2 h 5 min`. */
export function formatSince(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}
