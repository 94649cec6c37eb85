// The Deploy pane's own keys (none is bound in the keymap), for the pane, its
// key line and `?`. Pause/resume and abort are the keymap's own pauseAction
// (p) and abortAction (A), as on the Actions pane.
export const DEPLOY_KEYS = { start: 'n', promote: 'F', rollback: 'u' } as const;

export type DeployKey = keyof typeof DEPLOY_KEYS;

export const DEPLOY_KEY_HINTS: readonly string[] = [`${DEPLOY_KEYS.start} new deploy`, `${DEPLOY_KEYS.promote} promote canary`, `${DEPLOY_KEYS.rollback} roll back`];

/** One line in `?`, its key as short as the others' so no column narrows. */
export const DEPLOY_KEY_HELP: readonly { key: string; help: string }[] = [
  { key: DEPLOY_KEYS.start, help: `Deploy pane: new deploy (file, release, plan); p pause at the batch boundary/resume, A abort, ${DEPLOY_KEYS.promote} promote the canary, ${DEPLOY_KEYS.rollback} roll back` },
];

/** The pane's key an input is, if any. */
export const deployKey = (input: string): DeployKey | undefined => (Object.keys(DEPLOY_KEYS) as DeployKey[]).find((k) => DEPLOY_KEYS[k] === input);
