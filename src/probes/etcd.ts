// etcd: the parser of the probe's output (etcd-command.ts builds the remote
// command). Each etcdctl call fails on its own terms: with a member down
// `endpoint status` exits 1 yet prints the members that answered, and
// `alarm list` needs a leader. The parser joins them per member and never throws.
import { addressOf, EtcdOutputError, LEARNER_REFUSES, readAlarms, readEndpointHealth, readEndpointStatus, readLockRecords, readMemberList, readRetryReasons } from './etcd-json.js';
import { CURL_COULD_NOT_CONNECT, ETCD_COMMANDS, ETCD_SECTIONS, TLS_FAILURES, type EtcdSectionName } from './etcd-command.js';
import { joinMembers, type Connection } from './etcd-members.js';
import type { EtcdSnapshot } from './etcd-types.js';
import type { LockRecord } from './lock-records.js';
import { MARK, ProbeError, RAW_LIMIT, splitCommandSections, type CommandSection } from './probe-output.js';

export type * from './etcd-types.js';
export { etcdProbeCommand } from './etcd-command.js';

export type EtcdProbeResult = { kind: 'snapshot'; snapshot: EtcdSnapshot } | { kind: 'parse-error'; message: string; raw: string };

type EtcdctlSection = Exclude<EtcdSectionName, 'connect'>;
const ETCDCTL_SECTIONS = ETCD_SECTIONS.filter((name): name is EtcdctlSection => name !== 'connect');

/** A section whose stderr is etcdctl's text; its JSON log lines are read apart. */
interface EtcdSection extends CommandSection {
  /** What each endpoint (host:port) last answered before etcdctl gave up. */
  retries: Map<string, string>;
}

interface ProbeOutput {
  endpoint: string | undefined;
  /** The health and alarm list deadline, when shortened because a member refused connections. */
  shortHealthDeadline: string | undefined;
  sections: Map<EtcdSectionName, EtcdSection>;
}

const isLogLine = (line: string) => line.startsWith('{"level":');

function withRetries(s: CommandSection): EtcdSection {
  const lines = s.stderr.split('\n');
  return { ...s, stderr: lines.filter((l) => !isLogLine(l)).join('\n'), retries: readRetryReasons(lines.filter(isLogLine)) };
}

function splitSections(output: string): ProbeOutput {
  let endpoint: string | undefined;
  let shortHealthDeadline: string | undefined;
  const sections = splitCommandSections(output, ETCD_SECTIONS, {
    onOtherMarker: (marker) => {
      if (marker.startsWith('endpoint ')) endpoint = marker.slice(9);
      const deadlines = /^deadlines status (\S+) health (\S+)$/.exec(marker);
      if (deadlines && deadlines[1] !== deadlines[2]) shortHealthDeadline = deadlines[2];
    },
  });
  // etcdctl logs JSON lines on stderr beside its own error text.
  return { endpoint, shortHealthDeadline, sections: new Map([...sections].map(([name, s]) => [name, withRetries(s)])) };
}

/** The section's JSON or text, or undefined when the command printed nothing. */
function read<T>(s: CommandSection | undefined, reader: (text: string) => T): T | undefined {
  if (!s || s.stdout.trim() === '') return undefined;
  try {
    return reader(s.stdout);
  } catch (err) {
    if (err instanceof EtcdOutputError) throw new ProbeError(err.message, s.stdout.trim().slice(0, RAW_LIMIT));
    throw err;
  }
}

/** `<curl exit code | none> <url>` lines, each maybe followed by `  <curl's message>`. */
function readConnections(s: CommandSection | undefined): Connection[] {
  const connections: Connection[] = [];
  for (const line of (s?.stdout ?? '').split('\n')) {
    const m = /^(\d+|none) (.+)$/.exec(line);
    const last = connections.at(-1);
    if (m) {
      const code = m[1] === 'none' ? null : Number(m[1]);
      const url = m[2] ?? '';
      const tls = url.startsWith('https://') && code !== null && TLS_FAILURES.has(code);
      connections.push({ url, refused: code === CURL_COULD_NOT_CONNECT, tlsProblem: tls ? '' : undefined });
    } else if (line.startsWith('  ') && last?.tlsProblem === '') last.tlsProblem = line.trim();
  }
  return connections;
}

/** What a TLS failure means for the role's files, for the problem that the asked endpoint's calls failed. */
function tlsHint(c: Connection | undefined): string | undefined {
  if (c?.tlsProblem === undefined) return undefined;
  return `${c.url}: TLS fails: ${c.tlsProblem || 'curl could not complete the handshake'} (check the role's cacert, cert and key)`;
}

/** A snapshot that knows nothing of the cluster, and why: the poller asks the next member. */
function unanswered(endpoint: string, why: string): EtcdProbeResult {
  return { kind: 'snapshot', snapshot: { endpoint, clusterId: null, leaderId: null, raftTerm: null, members: [], quorum: { voters: 0, up: 0, needed: 1, ok: false }, alarms: null, locks: [], problems: [why] } };
}

function problemOf(name: EtcdctlSection, s: CommandSection | undefined): string | undefined {
  if (!s || s.exitCode === 0) return undefined;
  const said = s.stderr.trim().split('\n').filter(Boolean).join('; ') || 'no message';
  return `etcdctl ${ETCD_COMMANDS[name]}: ${s.exitCode === null ? 'cut short' : `exit ${s.exitCode}`}: ${said}`;
}

/** The lock records; output that cannot be read is a problem of its own, never the probe's failure. */
function readLocks(s: CommandSection | undefined): { locks: LockRecord[]; problem?: string } {
  if (!s || s.exitCode !== 0 || s.stdout.trim() === '') return { locks: [] };
  try {
    const { records, total } = readLockRecords(s.stdout);
    return { locks: records, problem: total > records.length ? `etcd: showing ${records.length} of ${total} lock records` : undefined };
  } catch (err) {
    if (!(err instanceof EtcdOutputError)) throw err;
    return { locks: [], problem: `${err.message}: ${JSON.stringify(s.stdout.trim().slice(0, 80))}` };
  }
}

export function parseEtcdProbe(output: string): EtcdProbeResult {
  try {
    const { endpoint, shortHealthDeadline, sections } = splitSections(output);
    if (endpoint === undefined) throw new ProbeError(`etcd: no ${MARK}endpoint line (is the probe's shell POSIX?)`, output.slice(0, RAW_LIMIT));
    const connections = readConnections(sections.get('connect'));
    const memberList = sections.get('members');
    if (!memberList) {
      // The command stops before etcdctl when the asked endpoint refuses connections.
      const refused = connections.some((c) => c.url === endpoint && c.refused);
      return unanswered(endpoint, refused ? `${endpoint} refuses connections: is etcd running on this host?` : 'etcdctl member list did not run');
    }
    const learnerSaid = memberList.exitCode === 0 ? undefined : memberList.retries.get(addressOf(endpoint));
    if (learnerSaid !== undefined && LEARNER_REFUSES.test(learnerSaid)) {
      // Its own status would name a leader it may no longer have: only the members it cannot list know.
      return unanswered(endpoint, `${endpoint} is a learner: it refuses member list (${learnerSaid}), so it cannot speak for the cluster`);
    }
    const ran = ETCDCTL_SECTIONS.filter((name) => sections.has(name));
    if (ran.every((name) => sections.get(name)?.exitCode === 127)) {
      const said = sections.get('members')?.stderr.trim() ?? '';
      throw new ProbeError(`etcd: etcdctl is not installed on the host: ${said.split('\n')[0] ?? ''}`, said.slice(0, RAW_LIMIT));
    }
    const health = read(sections.get('health'), readEndpointHealth);
    const joined = joinMembers({
      status: read(sections.get('status'), readEndpointStatus) ?? [],
      health,
      memberList: read(sections.get('members'), readMemberList),
      statusStderr: sections.get('status')?.stderr ?? '',
      connections,
      shortHealthDeadline,
      healthRetries: sections.get('health')?.retries ?? new Map(),
    });
    const alarmSection = sections.get('alarms');
    const alarms = read(alarmSection, readAlarms) ?? (alarmSection?.exitCode === 0 ? [] : null);
    // endpoint health fails when a learner refuses it: no problem when that is all that failed.
    const failedHealth = (health ?? []).filter((h) => !h.health).length;
    const onlyLearnersRefused = failedHealth > 0 && failedHealth === joined.members.filter((m) => m.healthNote !== null).length;
    const problems = ETCDCTL_SECTIONS.filter((name) => name !== 'health' || !onlyLearnersRefused)
      .map((name) => problemOf(name, sections.get(name)))
      .filter((p): p is string => p !== undefined);
    // etcdctl only times out on a TLS mismatch; curl, asked with the same files, says what is wrong.
    const hint = sections.get('members')?.exitCode !== 0 ? tlsHint(connections.find((c) => c.url === endpoint)) : undefined;
    if (hint) problems.unshift(hint);
    const { locks, problem: lockProblem } = readLocks(sections.get('locks'));
    if (lockProblem) problems.push(lockProblem);
    return { kind: 'snapshot', snapshot: { endpoint, ...joined, alarms, locks, problems } };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `etcd: parser failed: ${(err as Error).message}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}
