// Pacemaker's real scheduler, through crm_simulate: it reads the CIB, decides
// the transition (start, stop, move, recover) exactly as pacemaker-schedulerd
// would, plays it and saves the resulting status section back, as the
// controller records results after executing them. Resource agents are never
// run: every action succeeds unless a failure is injected.
import { runPcmkTool } from './pcmk-tool.js';

/**
 * Applies `events` (crm_simulate's synthetic cluster events, e.g.
 * ['--node-fail', 'node2']) to the CIB file `work`, then runs the transition
 * the scheduler decides and saves the result into the same file. Resolves
 * with the transition summary, e.g. ['Move web-vip ( node1 -> node3 )'].
 */
export async function runScheduler(work: string, events: string[] = [], signal?: AbortSignal): Promise<string[]> {
  const { stdout } = await runPcmkTool('crm_simulate', ['--simulate', '--xml-file', work, ...events, '--save-output', work], work, signal);
  const summary = /Transition Summary:\n([\s\S]*?)\nExecuting Cluster Transition:/.exec(stdout)?.[1] ?? '';
  return summary
    .split('\n')
    .map((line) => line.trim().replace(/^\* /, '').replace(/\s+/g, ' '))
    .filter(Boolean);
}
