// What a lab host with a set load reads instead of the kernel's /proc/stat,
// /proc/meminfo and /proc/loadavg (LXCFS-style views, bind-mounted in the
// host's own mount namespace). Pure. Every number is padded to a fixed width
// so a view is rewritten in place at the same length: a bind mount pins the
// file, and a reader must never find it empty or cut short.

/** USER_HZ: the kernel's clock ticks per second in /proc/stat. */
export const USER_HZ = 100;
const WIDTH = 16;
const n = (v: number): string => String(Math.max(0, Math.round(v))).padStart(WIDTH);

export interface CpuCounters {
  /** Busy ticks (all counted as user time) and idle ticks, summed over the cores. */
  busy: number;
  idle: number;
}

/** The cpu line and one cpuN line per core, then the few lines tools expect after them. */
export function statView(counters: CpuCounters, cores: number, bootTime: number): string {
  const line = (label: string, busy: number, idle: number) => `${label.padEnd(6)}${[busy, 0, 0, idle, 0, 0, 0, 0, 0, 0].map(n).join('')}\n`;
  let text = line('cpu', counters.busy, counters.idle);
  for (let c = 0; c < cores; c++) text += line(`cpu${c}`, counters.busy / cores, counters.idle / cores);
  return `${text}intr ${n(0)}\nctxt ${n(0)}\nbtime ${n(bootTime)}\nprocesses ${n(0)}\nprocs_running ${n(1)}\nprocs_blocked ${n(0)}\n`;
}

/** The ticks `seconds` add at `percent` busy on `cores` cores. */
export function advance(counters: CpuCounters, seconds: number, cores: number, percent: number): CpuCounters {
  const ticks = seconds * USER_HZ * cores;
  return { busy: counters.busy + (ticks * percent) / 100, idle: counters.idle + (ticks * (100 - percent)) / 100 };
}

/** MemAvailable (and MemFree) leave `percent` of MemTotal used; no swap. */
export function meminfoView(totalKb: number, percent: number): string {
  const available = (totalKb * (100 - percent)) / 100;
  const row = (key: string, kb: number) => `${`${key}:`.padEnd(16)}${n(kb)} kB\n`;
  return row('MemTotal', totalKb) + row('MemFree', available) + row('MemAvailable', available) + row('Buffers', 0) + row('Cached', 0) + row('SwapCached', 0) + row('SwapTotal', 0) + row('SwapFree', 0);
}

/** Load averages of `percent` of the cores busy, steady. */
export function loadavgView(cores: number, percent: number): string {
  const load = ((cores * percent) / 100).toFixed(2).padStart(8);
  return `${load} ${load} ${load} ${'1/100'.padStart(12)} ${n(1)}\n`;
}

/** The cpu line's busy and idle ticks of a real /proc/stat (the views start from them). */
export function realCounters(stat: string): CpuCounters {
  const fields = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? '').trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq + steal, idle: idle + iowait };
}
