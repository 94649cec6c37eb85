// Errors of `baton lab` that carry the next step (main prints it as `next:`).
export function labError(message: string, hint?: string): Error & { hint?: string } {
  return Object.assign(new Error(message), hint ? { hint } : {});
}
