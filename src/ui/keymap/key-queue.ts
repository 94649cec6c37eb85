// Ink hands each read of the terminal to useInput as one event. Its input
// parser cuts escape sequences apart (arrows, PgUp, shift+tab), but a run of
// plain characters stays whole, so `jjj` pasted, or joined by a slow SSH
// link, reached the handlers as one "key" that no binding matched. The queue
// cuts events into keys and hands them out one per turn of the event loop:
// by then React has committed what the last key did and run its effects, so
// a pane or mode the key opened has its input handler in place, and a burst
// acts as the same keys pressed one at a time.

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

/** The next turn of Node's event loop: after React's scheduler, which posts its passive effects the same way. */
export function immediateTurns(): Turns {
  let pending: NodeJS.Immediate | undefined;
  return {
    next: (step) => {
      pending = setImmediate(step);
    },
    cancel: () => clearImmediate(pending),
  };
}

export class KeyQueue {
  private events: string[] = [];
  private busy = false;

  constructor(
    private readonly deliver: (key: string) => void,
    /** Asked before each key: whether printable runs go whole (text entry has focus). */
    private readonly textRun: () => boolean,
    private readonly turns: Turns = immediateTurns(),
  ) {}

  push(event: string): void {
    if (event.length === 0) return;
    this.events.push(event);
    if (!this.busy) this.step();
  }

  stop(): void {
    this.turns.cancel();
    this.events = [];
    this.busy = false;
  }

  private readonly step = (): void => {
    const head = this.events[0];
    this.busy = head !== undefined;
    if (head === undefined) return;
    const n = firstKeyLength(head, this.textRun());
    if (n >= head.length) this.events.shift();
    else this.events[0] = head.slice(n);
    // Keys that arrive before the next turn wait behind this one.
    this.turns.next(this.step);
    this.deliver(head.slice(0, n));
  };
}
