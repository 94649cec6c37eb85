// A value that follows its input once the input has rested for `ms`: the
// cluster chart follows the hosts cursor without redrawing on every j/k.
// The first defined value is taken at once, so nothing waits at start.
import { useEffect, useState } from 'react';

export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    if (settled === undefined) {
      setSettled(value);
      return;
    }
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}
