// The Pacemaker snapshot: what one `crm_mon --output-as=xml` (plus the CIB's
// cli-* location constraints) says about a cluster, as the HA pane shows it.

/** One word per node, worst first: unclean > offline > pending > maintenance > standby > online. */
export type PacemakerNodeState = 'unclean' | 'offline' | 'pending' | 'maintenance' | 'standby' | 'online';

export interface PacemakerNode {
  name: string;
  id: string;
  state: PacemakerNodeState;
  online: boolean;
  standby: boolean;
  maintenance: boolean;
  unclean: boolean;
  isDc: boolean;
  resourcesRunning: number;
}

/** Pacemaker 2.1 names; the older Master/Slave are read as Promoted/Unpromoted. */
export type PacemakerResourceRole = 'Started' | 'Stopped' | 'Promoted' | 'Unpromoted' | 'Unknown';

export interface PacemakerFailCount {
  node: string;
  /** Pacemaker's INFINITY reads as 1000000, its own cap for scores and counts. */
  count: number;
}

/** A primitive; each instance of a clone is its own entry (same id, one node each). */
export interface PacemakerResource {
  id: string;
  /** e.g. ocf:heartbeat:IPaddr2 */
  agent: string;
  /** Innermost group and clone (or bundle) around it, by id. */
  group: string | null;
  clone: string | null;
  role: PacemakerResourceRole;
  nodes: string[];
  active: boolean;
  managed: boolean;
  failed: boolean;
  blocked: boolean;
  /** No longer configured, still in the status section (crm_mon's ORPHANED). */
  orphaned: boolean;
  /** A failure was ignored (on-fail=ignore): crm_mon's "failure ignored". */
  failureIgnored: boolean;
  /** target-role when set, e.g. Stopped (crm_mon's "disabled"). */
  targetRole: string | null;
  /**
   * Non-zero fail counts (node_history), each on exactly one entry: a clone
   * instance holds those of its nodes, the clone's first stopped instance
   * (or, with none stopped, its first) those of nodes none of its instances
   * runs on; a resource that is not cloned, all of them.
   */
  failCounts: PacemakerFailCount[];
  migrationThreshold: number | null;
}

export interface PacemakerCollection {
  id: string;
  kind: 'group' | 'clone' | 'bundle';
  managed: boolean;
  disabled: boolean;
  /** A promotable (multi-state) clone. */
  promotable: boolean;
}

/** A negative location constraint, as crm_mon lists it under <bans>. */
export interface PacemakerBan {
  id: string;
  resource: string;
  node: string;
  weight: number | null;
  promotedOnly: boolean;
}

/** A failed action (<failures>): stays until `crm_resource --cleanup`. */
export interface PacemakerFailure {
  /** The resource, from op_key `<resource>_<task>_<interval>`. */
  resource: string;
  node: string;
  opKey: string;
  task: string;
  exitStatus: string;
  exitReason: string;
  exitCode: number | null;
  status: string;
  /** last-rc-change as crm_mon prints it, e.g. '2026-11-22 03:49:06Z'. */
  time: string | null;
  /** Its resource went on regardless (on-fail=ignore): crm_mon's "failure ignored". */
  ignored: boolean;
}

/** A location constraint made by `crm_resource --move` (cli-prefer-*) or `--ban` (cli-ban-*). */
export interface PacemakerCliConstraint {
  id: string;
  /** The id of its rule (moves and bans with --lifetime): crm_mon lists such a ban by it. */
  rule: string | null;
  kind: 'prefer' | 'ban';
  resource: string;
  /** From the node attribute, or the rule's `#uname eq` expression (moves with --lifetime). */
  node: string | null;
  role: string | null;
  score: number | null;
  /** End of a --lifetime, as written in the CIB. */
  expires: string | null;
}

export type PacemakerConstraints = { kind: 'read'; list: PacemakerCliConstraint[] } | { kind: 'unavailable'; message: string };

export interface PacemakerSnapshot {
  stack: string | null;
  dc: { present: boolean; name: string | null; version: string | null };
  withQuorum: boolean;
  maintenanceMode: boolean;
  stonithEnabled: boolean;
  lastUpdate: string | null;
  nodes: PacemakerNode[];
  resources: PacemakerResource[];
  collections: PacemakerCollection[];
  bans: PacemakerBan[];
  failures: PacemakerFailure[];
  constraints: PacemakerConstraints;
}
