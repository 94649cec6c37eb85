// `clush -b` style: hosts whose output and exit status are identical are
// shown once, under a folded nodeset; groups with more hosts first.
import { foldNodeset } from '../../inventory/nodeset.js';
import type { StepOutcome } from '../engine/plan.js';

export interface HostOutput {
  host: string;
  outcome: StepOutcome;
  rc: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export interface OutputGroup {
  nodeset: string;
  hosts: string[];
  outcome: StepOutcome;
  rc: number | null;
  stdout: string;
  stderr: string;
  error?: string;
}

export function groupOutputs(outputs: readonly HostOutput[]): OutputGroup[] {
  const groups = new Map<string, OutputGroup>();
  for (const o of outputs) {
    const key = JSON.stringify([o.outcome, o.rc, o.stdout, o.stderr, o.error ?? '']);
    const g = groups.get(key);
    if (g) g.hosts.push(o.host);
    else groups.set(key, { nodeset: '', hosts: [o.host], outcome: o.outcome, rc: o.rc, stdout: o.stdout, stderr: o.stderr, error: o.error });
  }
  return [...groups.values()]
    .map((g) => ({ ...g, nodeset: foldNodeset(g.hosts) }))
    .sort((a, b) => b.hosts.length - a.hosts.length || a.nodeset.localeCompare(b.nodeset));
}

/** "rc 0: web[01-20]; rc 1: db1; unknown: db2" */
export function exitSummary(outputs: readonly HostOutput[]): string {
  const by = new Map<string, string[]>();
  for (const o of outputs) {
    const label = o.rc !== null && (o.outcome === 'ok' || o.outcome === 'failed') ? `rc ${o.rc}` : o.outcome;
    by.set(label, [...(by.get(label) ?? []), o.host]);
  }
  return [...by.entries()].map(([label, hosts]) => `${label}: ${foldNodeset(hosts)}`).join('; ');
}
