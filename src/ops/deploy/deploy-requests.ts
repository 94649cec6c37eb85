// What an operator can ask of a running deploy beside the engine's pause and
// abort (RunControl.request), and how a deploy's journal says it paused:
// the pane reads that to offer resume. Pure.

export const DEPLOY_REQUESTS = {
  /** Stop before the next batch starts, every host as it is; `baton resume ID` goes on. */
  pause: 'deploy:pause-at-batch-boundary',
  /** The canary's remaining traffic steps are skipped: its weights go back and the other hosts roll. */
  promote: 'deploy:promote-canary',
} as const;

/** The runner's last journal note starts with one of these. */
export const PAUSED_NOTE = 'deploy paused';
export const ENDED_NOTE = 'deploy ended';

/** A canary traffic step (a weight change or an analysis) is what a promotion skips. */
export const isCanaryTrafficStep = (stepId: string): boolean => /^b\d+\/[^/]+\/[^/]+\/[^/]+-(?:weight|analysis)-\d+(?:-[^/]*)?$/.test(stepId);

/** What follows the reason in the paused note. */
export const PAUSED_TAIL = '; every host stays as it is until';

/** Why a journaled deploy paused, when its last run ended paused (not when it ended, or failed after). */
export function pausedReason(notes: readonly string[]): string | undefined {
  const last = notes.filter((n) => n.startsWith(PAUSED_NOTE) || n.startsWith(ENDED_NOTE)).at(-1);
  if (!last?.startsWith(PAUSED_NOTE)) return undefined;
  const reason = last.slice(PAUSED_NOTE.length).replace(/^[:\s]+/, '');
  const tail = reason.indexOf(PAUSED_TAIL);
  return tail < 0 ? reason : reason.slice(0, tail);
}
