// Warn/crit levels for table cells. The CLI passes values from the config
// file; anything it leaves out keeps these defaults.

export interface Level {
  warn: number;
  crit: number;
}

export interface Thresholds {
  cpu: Level;
  mem: Level;
  swap: Level;
  disk: Level;
  /** load1 divided by the number of cores. */
  loadPerCore: Level;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  cpu: { warn: 80, crit: 90 },
  mem: { warn: 80, crit: 90 },
  swap: { warn: 80, crit: 90 },
  disk: { warn: 80, crit: 90 },
  loadPerCore: { warn: 1, crit: 2 },
};

export type ThresholdOverrides = { [K in keyof Thresholds]?: Partial<Level> };

export function resolveThresholds(overrides: ThresholdOverrides = {}): Thresholds {
  const merge = (key: keyof Thresholds): Level => ({ ...DEFAULT_THRESHOLDS[key], ...overrides[key] });
  return { cpu: merge('cpu'), mem: merge('mem'), swap: merge('swap'), disk: merge('disk'), loadPerCore: merge('loadPerCore') };
}

export type LevelToken = 'text' | 'warn' | 'crit';

export function levelOf(value: number | null | undefined, level: Level): LevelToken {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'text';
  if (value >= level.crit) return 'crit';
  if (value >= level.warn) return 'warn';
  return 'text';
}
