// The Deploy pane: the latest deploy run from the journal (this console's
// or another's, `baton deploy run` included), re-read every second: per
// host its batch and stages, the canary readings, elapsed and ETA.
// Read-only: deploys start from `baton deploy run`.
import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { journalDir, listActions, type ActionSummary } from '../../ops/engine/history.js';
import { useTheme } from '../context.js';
import { useNow } from '../hooks/use-now.js';
import type { PaneProps } from '../panes/pane-props.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { deployLines } from './deploy-lines.js';

const READ_EVERY_MS = 1000;

export function DeployPane({ spec, width, height, focused }: PaneProps) {
  const theme = useTheme();
  const now = useNow(READ_EVERY_MS);
  const [latest, setLatest] = useState<ActionSummary | undefined>();
  useEffect(() => {
    let live = true;
    void listActions(journalDir(), Date.now() - 7 * 24 * 3600_000).then((runs) => {
      if (live) setLatest(runs.filter((r) => r.plan.action === 'deploy' && r.plan.args.deploy).at(-1));
    });
    return () => {
      live = false;
    };
  }, [now]);
  return (
    <PaneFrame title={spec.title ?? PANE_TITLES.deploy} info={latest ? 'latest deploy' : undefined} width={width} height={height} focused={focused}>
      {latest ? (
        <StyledLines lines={deployLines(latest, now)} top={0} height={height - 2} />
      ) : (
        <Text {...theme.tokens.muted} wrap="truncate">
          {' no deploy in the journal: baton deploy run FILE -r VERSION (baton deploy list)'}
        </Text>
      )}
    </PaneFrame>
  );
}
