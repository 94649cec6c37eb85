// The verbose output of Kubernetes' /readyz, /livez and /healthz (the API
// server's healthz package): one line per named check, `[+]NAME ok`,
// `[+]NAME excluded: ok` or `[-]NAME failed: REASON` (`reason withheld`
// unless the caller may see it), then `readyz check passed|failed`. Pure.

export interface ReadyzCheck {
  name: string;
  ok: boolean;
  excluded: boolean;
  /** Why a failed check failed, as the server words it. */
  reason?: string;
}

const LINE = /^\[([+-])\](\S+) (?:(excluded: )?ok|failed(?::\s*(.*))?)$/;

/** The named checks in `body`; empty when it is not verbose health output. */
export function parseReadyzVerbose(body: string): ReadyzCheck[] {
  const checks: ReadyzCheck[] = [];
  for (const raw of body.split('\n')) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    const ok = m[1] === '+' && m[4] === undefined && !raw.includes(' failed');
    checks.push({ name: m[2]!, ok, excluded: m[3] !== undefined, ...(ok ? {} : { reason: m[4] ?? 'failed' }) });
  }
  return checks;
}

/** `etcd failed: reason withheld; informer-sync failed`: the failed checks, for a failure reason. */
export function failedReadyz(checks: readonly ReadyzCheck[]): string {
  return checks
    .filter((c) => !c.ok)
    .map((c) => `${c.name} failed${c.reason && c.reason !== 'failed' ? `: ${c.reason}` : ''}`)
    .join('; ');
}
