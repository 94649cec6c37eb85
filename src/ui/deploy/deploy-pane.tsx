// The Deploy pane: the latest deploy run from the journal (this console's
// or another's, `baton deploy run` included), re-read every second: per
// host its batch and stages, the canary readings, its live LB traffic
// (deploy-traffic.ts: requests and 5xx per second, weight), elapsed and ETA. Keys (deploy-flow.ts): n new deploy, p pause at the next
// batch boundary / resume, A abort, F promote the canary, u roll back.
import { Text, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { journalDir, listActions, type ActionSummary } from '../../ops/engine/history.js';
import { useActionsUi } from '../actions/actions-context.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import type { PaneProps } from '../panes/pane-props.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { deployKeyPressed, type DeployPaneKey } from './deploy-flow.js';
import { deployKey } from './deploy-keys.js';
import type { DeployMeta } from '../../ops/deploy/plan-deploy.js';
import { deployLines } from './deploy-lines.js';
import { addSamples, hostTraffic, trafficParts, type TrafficHistory } from './deploy-traffic.js';

const READ_EVERY_MS = 1000;
const LOOK_BACK_MS = 7 * 24 * 3600_000;

export function DeployPane({ spec, width, height, focused, active }: PaneProps) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const ctx = { ...services, ...actionsUi };
  const now = useNow(READ_EVERY_MS);
  const [latest, setLatest] = useState<ActionSummary | undefined>();
  /** What this console asked of the run (pause, promote), shown until the run ends. */
  const [asked, setAsked] = useState<{ id: string; text: string } | undefined>();
  const dir = actionsUi.service?.journalDir ?? journalDir();
  // Each LB's last refreshes, for the traffic rates beside the host rows.
  const lbs = useBaton((s) => s.services);
  const history = useRef<TrafficHistory>(new Map());
  history.current = useMemo(() => addSamples(history.current, lbs), [lbs]);
  const traffic = useMemo(() => {
    const hosts = latest ? (latest.plan.args.deploy as DeployMeta).batches.flat() : [];
    return new Map(hosts.map((h) => [h, trafficParts(hostTraffic(history.current, h))]));
  }, [latest, lbs]);
  useEffect(() => {
    let live = true;
    void listActions(dir, Date.now() - LOOK_BACK_MS).then((runs) => {
      if (live) setLatest(runs.filter((r) => r.plan.action === 'deploy' && r.plan.args.deploy).at(-1));
    });
    return () => {
      live = false;
    };
  }, [now, dir]);

  const press = (key: DeployPaneKey) => {
    const text = deployKeyPressed(ctx, key, latest);
    if (text && latest) setAsked({ id: latest.id, text });
  };
  usePaneKeys(active, (action) => {
    if (action === 'pauseAction') press('pause');
    else if (action === 'abortAction') press('abort');
  });
  useInput(
    (input) => {
      const key = deployKey(input);
      if (key) press(key);
    },
    { isActive: active },
  );

  return (
    <PaneFrame title={spec.title ?? PANE_TITLES.deploy} info={latest ? 'latest deploy' : undefined} width={width} height={height} focused={focused}>
      {latest ? (
        <StyledLines lines={deployLines(latest, now, { asked: asked?.id === latest.id && latest.state === 'running' ? asked.text : undefined, traffic })} top={0} height={height - 2} />
      ) : (
        <Text {...theme.tokens.muted} wrap="truncate">
          {' no deploy in the journal: n starts one (or baton deploy run FILE -r VERSION)'}
        </Text>
      )}
    </PaneFrame>
  );
}
