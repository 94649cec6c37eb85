// The console on the lab in a tmux pane of its own: the pane's process is
// baton itself (exec), so a test can SIGKILL it; its journal and locks live
// in the test's own XDG_STATE_HOME.
import { quote } from 'shell-quote';
import { BATON_CLI } from './lab.js';
import { TmuxPane } from './tmux.js';

export interface LabConsoleOptions {
  dir: string;
  name: string;
  inventory: string;
  view: string;
  columns: number;
  stateHome: string;
}

export function startLabConsole(o: LabConsoleOptions): TmuxPane {
  const pane = new TmuxPane(o.dir, o.name);
  const cli = quote([process.execPath, BATON_CLI, '-i', o.inventory, '--interval', '1', '--view', o.view]);
  pane.start(`exec env -u CI -u CONTINUOUS_INTEGRATION ${cli}`, o.columns, 44, { XDG_STATE_HOME: o.stateHome });
  return pane;
}
