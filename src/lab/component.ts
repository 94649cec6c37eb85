// A lab component: one real service (or group of them) that `baton lab`
// starts, reports on, breaks and repairs. The lab supervisor owns every
// component; each component owns its processes.
import type { LabHostSpec } from './layout.js';

export interface LabHost extends LabHostSpec {
  sshPort: number;
  /** The host's own filesystem area: what its shell sees as the deploy root. */
  rootDir: string;
}

export interface LabContext {
  /** Lab state dir: configs, keys, logs, sockets, pid files live under it. */
  dir: string;
  hosts: readonly LabHost[];
  /** Aborted when the lab goes down: every background loop must stop on it. */
  signal: AbortSignal;
  log(line: string): void;
  /**
   * Spawns a daemon that dies with the supervisor (PR_SET_PDEATHSIG through
   * setpriv) and is tracked for `lab down`. Output goes to `${dir}/logs/<name>.log`.
   */
  spawnDaemon(name: string, command: string, args: string[], options?: { env?: Record<string, string>; cwd?: string }): Promise<number>;
}

/** Wall-clock milliseconds with a fraction: comparable between the lab's processes and its clients'. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export interface ComponentStatus {
  name: string;
  healthy: boolean;
  /** One line an operator reads in `lab status`. */
  detail: string;
  /** Fault targets currently failed, e.g. ['etcd:etcd2']. */
  failed: string[];
  /** How it runs, for a component that can run more than one way (pacemaker: 'real' or 'cib-file'). */
  mode?: string;
}

export interface LabComponent {
  readonly name: string;
  /** Fault targets understood, for `lab fail` help and errors, e.g. 'etcd:leader', 'etcd:<member>'. */
  readonly targets: readonly string[];
  /** Environment the component needs in a host's SSH sessions (e.g. CIB_file). */
  sshEnvironment?(host: LabHostSpec): Record<string, string>;
  start(ctx: LabContext): Promise<void>;
  /** Leaves no process and no socket behind. */
  stop(): Promise<void>;
  status(): Promise<ComponentStatus>;
  /** True when the target (e.g. 'etcd:leader') belongs to this component. */
  owns(target: string): boolean;
  /**
   * Injects the fault with the real tool; resolves with what was done, for
   * the operator. A component that can tell calls `tookEffect` at the moment
   * the fault is real (with that moment, in epochMs, when it was earlier).
   */
  fail(target: string, tookEffect?: (at?: number) => void): Promise<string>;
  heal(target: string): Promise<string>;
}
