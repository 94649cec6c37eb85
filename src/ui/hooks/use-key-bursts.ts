// Every input event Ink emits goes through a KeyQueue before any useInput
// handler sees it, so each key of a burst (a paste, a read that a slow link
// joined) acts in order. Installed once, for the whole console, on Ink's own
// input emitter: the handlers keep using useInput unchanged.
import { useStdin } from 'ink';
import { useEffect } from 'react';
import { useConsole } from '../context.js';
import { KeyQueue } from '../keymap/key-queue.js';
import type { Mode } from '../state/ui-store.js';

/** Modes whose line takes pasted text in one piece. */
const TEXT_ENTRY: ReadonlySet<Mode> = new Set(['filter', 'command']);

export function useKeyBursts(): void {
  const { ui } = useConsole();
  const { internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    const emit = events.emit;
    const queue = new KeyQueue(
      (key) => emit.call(events, 'input', key),
      () => TEXT_ENTRY.has(ui.getState().mode),
    );
    events.emit = function (name: string | symbol, ...args: unknown[]): boolean {
      if (name !== 'input' || typeof args[0] !== 'string') return emit.call(this, name, ...args);
      queue.push(args[0]);
      return true;
    };
    return () => {
      queue.stop();
      events.emit = emit;
    };
  }, [events, ui]);
}
