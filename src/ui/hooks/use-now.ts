// Wall-clock time rounded down to `granularityMs`, re-rendering only when
// that rounded value changes: the header ticks each second, the stale check
// once per poll interval, and nothing else follows the clock.
import { useEffect, useState } from 'react';
import { useConsole } from '../context.js';

export function useNow(granularityMs: number): number {
  const { clock } = useConsole();
  const step = Math.max(1, granularityMs);
  const [now, setNow] = useState(() => Math.floor(clock() / step) * step);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    const schedule = () => {
      const t = clock();
      timer = setTimeout(() => {
        setNow(Math.floor(clock() / step) * step);
        schedule();
      }, step - (t % step) + 1);
      timer.unref?.();
    };
    setNow(Math.floor(clock() / step) * step);
    schedule();
    return () => clearTimeout(timer);
  }, [clock, step]);
  return now;
}
