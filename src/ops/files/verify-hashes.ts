// Verify a transfer by content: the file's sha256 on each host against the
// one expected; a host that cannot be read stays unknown, never ok.
import type { Outcome, Plan } from '../engine/plan.js';
import type { LiveContext, VerifyResult } from '../engine/registry.js';
import { remoteSha256 } from './file-hash.js';

export async function verifyHashes(ctx: LiveContext, plan: Plan, remotePath: string, expectedFor: (host: string) => string | undefined, what: string): Promise<VerifyResult> {
  const hosts: Record<string, Outcome> = {};
  const problems: string[] = [];
  await Promise.all(
    plan.targets.map(async (h) => {
      const expected = expectedFor(h);
      const got = await remoteSha256(ctx.transports.get(h), remotePath);
      if ('hash' in got && expected !== undefined) {
        hosts[h] = got.hash === expected ? 'ok' : 'failed';
        if (got.hash !== expected) problems.push(`${h}: ${what} sha256 ${got.hash.slice(0, 12)} differs`);
      } else if ('absent' in got) {
        hosts[h] = 'failed';
        problems.push(`${h}: ${remotePath} absent`);
      } else {
        hosts[h] = expected === undefined ? 'failed' : 'unknown';
        problems.push(`${h}: ${'error' in got ? got.error : 'no local copy'}`);
      }
    }),
  );
  const values = Object.values(hosts);
  const outcome: Outcome = values.includes('failed') ? 'failed' : values.includes('unknown') ? 'unknown' : 'ok';
  const ok = values.filter((v) => v === 'ok').length;
  return { outcome, detail: `${ok}/${plan.targets.length} hosts: sha256 matches${problems.length ? '; ' + problems.sort().join('; ') : ''}`, hosts };
}
