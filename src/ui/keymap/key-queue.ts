// Ink hands each read of the terminal to useInput as one event. Its input
// parser cuts escape sequences apart (arrows, PgUp, shift+tab), but a run of
// plain characters stays whole, so `jjj` pasted, or joined by a slow SSH
// link, reached the handlers as one "key" that no binding matched. The queue
// cuts events into keys and hands them out one at a time, each once React
// has done what the key before it caused (see reactSchedulerTurns): the
// render, and the effects that install the input handler of a pane or mode
// it opened, even when a loaded machine makes React finish them on a later
// turn. A burst acts as the same keys pressed one at a time.
import { unstable_cancelCallback, unstable_NormalPriority, unstable_scheduleCallback, type Task } from 'scheduler';

const ESC = '\x1b';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Length of the first key of an Ink input event: the whole event when it is
 * an escape sequence (Ink cut it out whole), else one character, or with
 * `textRun` (filter and command entry) the run of printable characters up to
 * the next control key, so pasted text arrives in one piece.
 */
export function firstKeyLength(event: string, textRun: boolean): number {
  if (event.startsWith(ESC)) return event.length;
  const first = String.fromCodePoint(event.codePointAt(0) ?? 0);
  if (!textRun || CONTROL.test(first)) return first.length;
  let end = first.length;
  while (end < event.length) {
    const next = String.fromCodePoint(event.codePointAt(end)!);
    if (CONTROL.test(next)) break;
    end += next.length;
  }
  return end;
}

/** Every key of one event, as the queue would hand them out with a fixed `textRun`. */
export function splitKeys(event: string, textRun = false): string[] {
  const keys: string[] = [];
  for (let rest = event; rest.length > 0; ) {
    const n = firstKeyLength(rest, textRun);
    keys.push(rest.slice(0, n));
    rest = rest.slice(n);
  }
  return keys;
}

export interface Turns {
  next(step: () => void): void;
  cancel(): void;
}

/**
 * After the work the last key caused: React renders in a microtask or at
 * once, and posts the effects of its commit (the input handlers a new pane
 * or mode installs) as tasks of its scheduler. A microtask queued after the
 * key's delivery runs after React's; the task it posts then runs after
 * every task React posted before it, as the scheduler keeps same-priority
 * tasks in order, even across the turns it yields on a loaded machine.
 */
export function reactSchedulerTurns(): Turns {
  let pending: Task | undefined;
  let generation = 0;
  return {
    next: (step) => {
      const mine = generation;
      queueMicrotask(() => {
        if (mine === generation) pending = unstable_scheduleCallback(unstable_NormalPriority, step);
      });
    },
    cancel: () => {
      generation++;
      if (pending !== undefined) unstable_cancelCallback(pending);
    },
  };
}

export class KeyQueue {
  private events: string[] = [];
  private busy = false;

  constructor(
    private readonly deliver: (key: string) => void,
    /** Asked before each key: whether printable runs go whole (text entry has focus). */
    private readonly textRun: () => boolean,
    private readonly turns: Turns = reactSchedulerTurns(),
  ) {}

  push(event: string): void {
    if (event.length === 0) return;
    this.events.push(event);
    if (this.busy) return;
    this.busy = true;
    this.turns.next(this.step);
  }

  stop(): void {
    this.turns.cancel();
    this.events = [];
    this.busy = false;
  }

  private readonly step = (): void => {
    const head = this.events[0];
    if (head === undefined) {
      this.busy = false;
      return;
    }
    const n = firstKeyLength(head, this.textRun());
    if (n >= head.length) this.events.shift();
    else this.events[0] = head.slice(n);
    try {
      this.deliver(head.slice(0, n));
    } finally {
      // Posted after the key's own render and effects: keys that arrive meanwhile wait behind them.
      this.turns.next(this.step);
    }
  };
}
