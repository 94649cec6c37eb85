// A read-only command on one inventory host for `observe` and `verify`:
// connects the host when the session has not (the CLI connects only the hosts
// a host filter selects, and a service action's target is no host filter).
import type { CommandResult } from '../../transport/types.js';
import type { LiveContext } from '../engine/registry.js';

export type HostCommandResult = { ok: true; result: CommandResult } | { ok: false; error: string };

export async function runOnHost(ctx: LiveContext, hostId: string, command: string, timeoutMs: number): Promise<HostCommandResult> {
  const t = ctx.transports.get(hostId);
  if (!t) return { ok: false, error: `${hostId}: no connection for this host` };
  try {
    await t.connect();
    const result = await t.exec(command, { timeoutMs });
    if (result.timedOut) return { ok: false, error: `${hostId}: no answer within ${timeoutMs / 1000} s` };
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: `${hostId}: ${(err as Error).message}` };
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The first line of a tool's error output, for a one-line reason. */
export const firstLine = (text: string, fallback: string): string => text.trim().split('\n')[0]?.trim() || fallback;
