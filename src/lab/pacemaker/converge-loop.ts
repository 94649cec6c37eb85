// The part of pacemaker-controld that reacts to CIB changes: whenever someone
// else wrote the CIB (a move, ban, standby, cleanup over SSH), run the real
// scheduler on it so the status section shows the transition Pacemaker
// decides. Bounded: one check per interval, nothing when the file is as we
// left it, and it ends on the lab's abort signal or stop().
import { setTimeout as sleep } from 'node:timers/promises';
import type { CibStore } from './cib-store.js';
import { runScheduler } from './scheduler.js';

export interface ConvergeLoop {
  /** Ends the loop; resolves once no crm_simulate of ours is left running. */
  stop(): Promise<void>;
}

export function startConvergeLoop(store: CibStore, options: { signal: AbortSignal; log(line: string): void; intervalMs?: number }): ConvergeLoop {
  const own = new AbortController();
  const signal = AbortSignal.any([options.signal, own.signal]);
  let lastError = '';

  async function tick(): Promise<void> {
    if (!(await store.changedByOthers())) return;
    let transition: string[] = [];
    const committed = await store.transact(async (work) => {
      transition = await runScheduler(work, [], signal);
    });
    if (!committed) {
      options.log('pacemaker: the CIB changed while the scheduler ran; converging again');
    } else if (transition.length > 0) {
      options.log(`pacemaker: transition: ${transition.join('; ')}`);
    }
  }

  const done = (async () => {
    while (!signal.aborted) {
      try {
        await tick();
        lastError = '';
      } catch (err) {
        // A half-written file (an operator's tool mid-write) fails to parse: the next tick retries.
        const message = (err as Error).message;
        if (!signal.aborted && message !== lastError) options.log(`pacemaker: converge failed, retrying: ${message}`);
        lastError = message;
      }
      await sleep(options.intervalMs ?? 500, undefined, { signal }).catch(() => undefined);
    }
  })();

  return {
    async stop() {
      own.abort();
      await done;
    },
  };
}
