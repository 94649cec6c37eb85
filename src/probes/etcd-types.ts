// The etcd snapshot: one probe's view of a cluster, joined from etcdctl's
// endpoint status, endpoint health, member list and alarm list. Member,
// cluster and leader ids are uint64, kept as exact decimal strings.
import type { LockRecord } from './lock-records.js';

export interface EtcdMember {
  /** Decimal uint64; null only when neither member list nor status named it. */
  id: string | null;
  /** '' for a member added but never started (member list has no name yet). */
  name: string;
  /** Client URL: the status/health endpoint, else the first advertised one. */
  endpoint: string | null;
  peerUrls: string[];
  leader: boolean;
  learner: boolean;
  /**
   * Answers endpoint status (true); refuses connections or lets status time
   * out (false); null when not asked (a member added but never started).
   */
  up: boolean | null;
  /**
   * Serves a linearizable read (endpoint health: it needs a leader); null when
   * health did not report on this member or had no answer within a shortened
   * deadline.
   */
  healthy: boolean | null;
  /**
   * Why health gave no verdict when that is no fault: a learner refuses the
   * linearizable read ("etcdserver: rpc not supported for learner", which
   * etcdctl only logs); healthy is then null. Else null.
   */
  healthNote: string | null;
  raftTerm: number | null;
  raftIndex: number | null;
  raftAppliedIndex: number | null;
  /** Committed but not yet applied entries: raftIndex - raftAppliedIndex. */
  applyGap: number | null;
  dbSizeBytes: number | null;
  dbSizeInUseBytes: number | null;
  version: string | null;
  /** What etcd and etcdctl said is wrong with it (alarms, no leader, timeouts). */
  errors: string[];
}

export interface EtcdAlarm {
  memberId: string;
  /** NOSPACE, CORRUPT, ... as `etcdctl alarm list` names it. */
  alarm: string;
}

export interface EtcdQuorum {
  /** Voting members (learners do not vote). */
  voters: number;
  /** Voting members that answer: an election needs `needed` of them. */
  up: number;
  /** floor(voters / 2) + 1 */
  needed: number;
  ok: boolean;
}

export interface EtcdSnapshot {
  /** The endpoint the probe asked, from the inventory. */
  endpoint: string;
  clusterId: string | null;
  /**
   * The leader the voting members name, in the newest term one names it (a
   * learner's view counts only when no voter answers), unless it answers and
   * does not name itself; null when none.
   */
  leaderId: string | null;
  raftTerm: number | null;
  members: EtcdMember[];
  quorum: EtcdQuorum;
  /** null when `alarm list` failed (e.g. no leader to answer it). */
  alarms: EtcdAlarm[] | null;
  /** baton's operator locks held in this etcd, in key order; [] when they could not be read (see problems). */
  locks: LockRecord[];
  /** Each etcdctl command that failed, with what it said. */
  problems: string[];
}
