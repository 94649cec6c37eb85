// The Checks and Network panes: a WatchPane each, with its lines and the
// inventory key to add.
import type { WatchState } from '../../store/watches.js';
import { checkHeader, checkLines } from './checks-lines.js';
import { deviceLines, networkHeader, networkInfo } from './network-lines.js';
import type { PaneProps } from './pane-props.js';
import { WatchPane } from './watch-pane.js';

function checksInfo(checks: readonly WatchState[]): string {
  const failing = checks.filter((c) => c.summary?.up === false && !c.error).length;
  return failing > 0 ? `${failing}/${checks.length} failing` : `${checks.length} checks`;
}

export function ChecksPane(props: PaneProps) {
  return <WatchPane {...props} kind="check" configureHint="add checks: [{ name, url, from }] to the inventory" header={checkHeader} lines={checkLines} info={checksInfo} />;
}

export function NetworkPane(props: PaneProps) {
  return <WatchPane {...props} kind="device" configureHint="add devices: [{ name, type, address, probe }] to the inventory" header={networkHeader} lines={deviceLines} info={networkInfo} />;
}
