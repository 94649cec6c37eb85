// Bounded background loops for the broker's traffic. A group of loops stops
// on its own stop() or when the lab's signal aborts; each iteration is paced
// to the loop's rate, and a failing iteration waits before the next, so no
// loop can spin whatever Redis answers.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** How long a paused loop (rate 0) naps before looking at its rate again. */
const IDLE_MS = 250;
/** How long a loop waits after a failed iteration (Redis down, bad reply). */
const RETRY_MS = 1000;

/** One iteration; it may pace itself inside (e.g. to hold a message while "working"). */
export type LoopStep = (signal: AbortSignal) => Promise<void>;

export class LoopGroup {
  readonly signal: AbortSignal;
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly connections: Redis[] = [];

  constructor(
    parent: AbortSignal,
    private readonly log: (line: string) => void,
  ) {
    this.signal = AbortSignal.any([parent, this.abort.signal]);
    // Closing the connections interrupts blocking commands (BRPOP, XREADGROUP BLOCK) at once.
    this.signal.addEventListener('abort', () => this.connections.forEach((c) => c.disconnect()), { once: true });
  }

  /** Connections the loops use; closed when the group stops. */
  own(connection: Redis): Redis {
    this.connections.push(connection);
    if (this.signal.aborted) connection.disconnect();
    return connection;
  }

  /** Runs `step` at most `rate()` times per second until the group stops. */
  run(name: string, rate: () => number, step: LoopStep): void {
    this.loops.push(this.loop(name, rate, step));
  }

  /** Stops every loop and resolves once all of them have returned. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async loop(name: string, rate: () => number, step: LoopStep): Promise<void> {
    let lastError = '';
    while (!this.signal.aborted) {
      const startedAt = Date.now();
      const perSecond = rate();
      if (perSecond <= 0) {
        await pause(IDLE_MS, this.signal);
        continue;
      }
      try {
        await step(this.signal);
        lastError = '';
      } catch (err) {
        if (this.signal.aborted) break;
        const message = err instanceof Error ? err.message : String(err);
        if (message !== lastError) this.log(`broker ${name}: ${message}; retrying every ${RETRY_MS / 1000} s`);
        lastError = message;
        await pause(RETRY_MS, this.signal);
      }
      await pace(startedAt, perSecond, this.signal);
    }
  }
}

/** Sleeps until `startedAt + 1/rate s`; resolves at once if that has passed, on abort, or at rate 0. */
export async function pace(startedAt: number, rate: number, signal: AbortSignal): Promise<void> {
  if (rate > 0) await pause(startedAt + 1000 / rate - Date.now(), signal);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
