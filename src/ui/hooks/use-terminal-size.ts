// Terminal size, following resizes at once. `onBeforeResize` runs before the
// new layout renders so the caller can wipe the screen for a clean redraw.
import { useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(fixed?: TerminalSize, onBeforeResize?: () => void): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 }));
  const current = useRef(size);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => {
      const next = { columns: stdout.columns || 80, rows: stdout.rows || 24 };
      if (next.columns === current.current.columns && next.rows === current.current.rows) return;
      current.current = next;
      onBeforeResize?.();
      setSize(next);
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed, onBeforeResize]);
  return fixed ?? size;
}
