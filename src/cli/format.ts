// Human formatting shared by the text outputs.
export function formatBytesPerSec(v: number | null): string {
  if (v === null) return '-';
  const units = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'];
  let n = v;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n.toFixed(n < 10 && u > 0 ? 1 : 0)}${units[u]}`;
}

export function formatPercent(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : `${v.toFixed(0)}%`;
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  return `${m}m`;
}
