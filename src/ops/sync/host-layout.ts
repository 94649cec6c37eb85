// Where a sync set's files, its staged copy and its versions live on a
// target. The stage sits beside the live path (same filesystem: the final
// rename is atomic) and holds the whole new tree, so `validate` checks the
// tree as it will be, includes and all.
import { posix } from 'node:path';
import type { SyncSet } from '../../inventory/types.js';

export interface HostLayout {
  /** The live file of `rel` ('' = the set's path itself). */
  live(rel: string): string;
  staged(rel: string): string;
  /** The hidden directory the new tree is built in; removed when done. */
  stageDir: string;
  /** What `%s` in `validate` stands for: the staged counterpart of the set's path. */
  stageRoot: string;
  /** This run's version: the files it replaced, kept for rollback. */
  versionDir: string;
  saved(versionId: string, rel: string): string;
}

const join = (root: string, rel: string) => (rel === '' ? root : posix.join(root, rel));

export function hostLayout(set: Pick<SyncSet, 'path' | 'versions'>, runId: string): HostLayout {
  const stageDir = posix.join(posix.dirname(set.path), `.baton-stage-${posix.basename(set.path)}-${runId}`);
  const stageRoot = posix.join(stageDir, posix.basename(set.path));
  return {
    live: (rel) => join(set.path, rel),
    staged: (rel) => join(stageRoot, rel),
    stageDir,
    stageRoot,
    versionDir: posix.join(set.versions, runId),
    saved: (versionId, rel) => posix.join(set.versions, versionId, 'files', rel === '' ? posix.basename(set.path) : rel),
  };
}
