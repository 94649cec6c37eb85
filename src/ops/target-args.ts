// Options every host action shares, read from the command line.
import { UsageError } from './engine/registry.js';

export function positiveNumberOption(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} expects a number > 0, got "${String(value)}"`);
  return n;
}

export interface HostActionOptions {
  parallel: number;
  timeoutMs: number;
}

export function hostActionOptions(options: Record<string, unknown>, defaults: { parallel: number; timeoutSeconds: number }): HostActionOptions {
  return {
    parallel: Math.floor(positiveNumberOption(options.parallel, defaults.parallel, 'parallel')),
    timeoutMs: positiveNumberOption(options.timeout, defaults.timeoutSeconds, 'timeout') * 1000,
  };
}
