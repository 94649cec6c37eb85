// Joins the probe's views into one row per member: member list says who is in
// the cluster (down members included), the connection checks which refuse
// connections, endpoint status how each answering member's raft and db look,
// endpoint health whether it serves reads.
import { addressOf, LEARNER_REFUSES, type EndpointHealthJson, type EndpointStatusJson, type MemberListJson } from './etcd-json.js';
import type { EtcdMember, EtcdQuorum, EtcdSnapshot } from './etcd-types.js';

export interface EtcdViews {
  status: EndpointStatusJson;
  /** undefined when the command printed nothing. */
  health: EndpointHealthJson | undefined;
  memberList: MemberListJson | undefined;
  /** Per-endpoint failures appear only here: "Failed to get the status of endpoint URL (why)". */
  statusStderr: string;
  connections: readonly Connection[];
  /** Set when health had this shorter deadline (a member refused connections): a timeout then says nothing. */
  shortHealthDeadline?: string;
  /** What each endpoint (host:port) last answered health before etcdctl gave up, from its log lines. */
  healthRetries: ReadonlyMap<string, string>;
}

export interface Connection {
  url: string;
  /** Nothing listens there (or no route): the member is down, etcdctl was not asked. */
  refused: boolean;
  /** curl's message when TLS with the role's files failed there ('' when it said nothing); else undefined. */
  tlsProblem?: string;
}

/** etcdctl's own deadline, or the server's answer that the deadline it was sent passed. */
const TIMED_OUT = /(^|= )context deadline exceeded$/;

type StatusEntry = EndpointStatusJson[number];

function blankMember(id: string | null, endpoint: string | null): EtcdMember {
  return {
    id, name: '', endpoint, peerUrls: [], leader: false, learner: false, up: null, healthy: null, healthNote: null,
    raftTerm: null, raftIndex: null, raftAppliedIndex: null, applyGap: null, dbSizeBytes: null, dbSizeInUseBytes: null, version: null, errors: [],
  };
}

function withStatus(m: EtcdMember, { Endpoint, Status: s }: StatusEntry): EtcdMember {
  return {
    ...m,
    endpoint: Endpoint,
    up: true,
    learner: m.learner || s.isLearner,
    raftTerm: s.raftTerm,
    raftIndex: s.raftIndex,
    raftAppliedIndex: s.raftAppliedIndex,
    applyGap: Math.max(0, s.raftIndex - s.raftAppliedIndex),
    dbSizeBytes: s.dbSize,
    dbSizeInUseBytes: s.dbSizeInUse,
    version: s.version || null,
    errors: [...m.errors, ...s.errors.map((e) => e.trim())],
  };
}

/**
 * The leader the voting members name, in the newest term one names it (a
 * member cut off from the others may name an old one). A learner gets no vote
 * requests, so once quorum is lost it still names the old leader: its view
 * counts only when no voter answers. A member that answers and does not name
 * itself is not the leader, whoever names it.
 */
function clusterLeader(status: EndpointStatusJson, isLearner: (id: string) => boolean): { leaderId: string | null; raftTerm: number | null } {
  const voters = status.filter((e) => !isLearner(e.Status.header.member_id));
  let best: StatusEntry['Status'] | undefined;
  for (const { Status: s } of voters.length ? voters : status) if (s.leader !== '0' && (!best || s.raftTerm > best.raftTerm)) best = s;
  const named = best?.leader;
  const denied = status.some((e) => e.Status.header.member_id === named && e.Status.leader !== named);
  const terms = status.map((e) => e.Status.raftTerm);
  return { leaderId: named !== undefined && !denied ? named : null, raftTerm: terms.length ? Math.max(...terms) : null };
}

function statusFailures(stderr: string): Map<string, string> {
  const failures = new Map<string, string>();
  for (const m of stderr.matchAll(/^Failed to get the status of endpoint (\S+) \((.*)\)$/gm)) failures.set(m[1] ?? '', m[2] ?? '');
  return failures;
}

function quorumOf(members: readonly EtcdMember[]): EtcdQuorum {
  const voters = members.filter((m) => !m.learner);
  const up = voters.filter((m) => m.up === true).length;
  const needed = Math.floor(voters.length / 2) + 1;
  return { voters: voters.length, up, needed, ok: up >= needed };
}

export function joinMembers(views: EtcdViews): Pick<EtcdSnapshot, 'clusterId' | 'leaderId' | 'raftTerm' | 'members' | 'quorum'> {
  const members: EtcdMember[] = (views.memberList?.members ?? []).map((m) => ({
    ...blankMember(m.ID, m.clientURLs[0] ?? null),
    name: m.name,
    peerUrls: m.peerURLs,
    learner: m.isLearner,
  }));
  const clientUrls = new Map((views.memberList?.members ?? []).map((m) => [m.ID, m.clientURLs]));
  const byEndpoint = (url: string) => members.findIndex((m) => m.endpoint === url || (m.id !== null && clientUrls.get(m.id)?.includes(url)));

  for (const entry of views.status) {
    const id = entry.Status.header.member_id;
    const at = members.findIndex((m) => m.id === id);
    if (at >= 0) members[at] = withStatus(members[at]!, entry);
    else members.push(withStatus(blankMember(id, entry.Endpoint), entry));
  }
  const memberAt = (url: string) => {
    const at = byEndpoint(url);
    return at >= 0 ? members[at]! : members[members.push(blankMember(null, url)) - 1]!;
  };
  for (const c of views.connections.filter((x) => x.refused)) {
    const m = memberAt(c.url);
    m.up = false;
    m.healthy = false;
    m.errors.push(`connect: ${c.url} refuses connections`);
  }
  for (const [url, why] of statusFailures(views.statusStderr)) {
    const m = memberAt(url);
    m.up = false;
    m.errors.push(`status: ${why}`);
    const tls = views.connections.find((c) => c.url === url)?.tlsProblem;
    if (tls !== undefined) m.errors.push(`TLS: ${tls || 'curl could not complete the handshake'}`);
  }
  for (const h of views.health ?? []) {
    const m = memberAt(h.endpoint);
    // etcdctl retries until its deadline and reports only that; what the member said is in its log.
    const retried = h.health ? undefined : views.healthRetries.get(addressOf(h.endpoint));
    if (m.learner && retried !== undefined && LEARNER_REFUSES.test(retried)) {
      m.healthNote = `health: ${retried} (a learner serves no linearizable read until it is promoted)`;
      continue;
    }
    if (!h.health && TIMED_OUT.test(h.error) && views.shortHealthDeadline && m.up) {
      m.errors.push(`health: no answer within ${views.shortHealthDeadline} (shortened while a member is down; an election may be under way)`);
      continue;
    }
    m.healthy = h.health;
    if (h.error) m.errors.push(`health: ${h.error}${retried && !h.error.endsWith(retried) ? ` (etcdctl retried: ${retried})` : ''}`);
  }

  const learners = new Set(members.filter((m) => m.learner).map((m) => m.id));
  const { leaderId, raftTerm } = clusterLeader(views.status, (id) => learners.has(id));
  for (const m of members) {
    m.leader = leaderId !== null && m.id === leaderId;
    m.errors = [...new Set(m.errors)];
  }
  members.sort((a, b) => (a.name || '\uffff').localeCompare(b.name || '\uffff') || (a.endpoint ?? '').localeCompare(b.endpoint ?? ''));
  const clusterId = views.memberList?.header.cluster_id ?? views.status[0]?.Status.header.cluster_id ?? null;
  return { clusterId: clusterId === '0' ? null : clusterId, leaderId, raftTerm, members, quorum: quorumOf(members) };
}
