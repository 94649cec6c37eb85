// Parses `etcdctl endpoint status -w json` (etcd 3.4 and later). Member,
// cluster and leader ids are uint64 and often above 2^53, where a JS number
// silently rounds them (17237436991929493444 would read back as
// 17237436991929494000), so the JSON is read with lossless-json and ids stay
// decimal strings; raft counters become bigint so they compare exactly.
import { isLosslessNumber, parse, type LosslessNumber } from 'lossless-json';
import { z } from 'zod';

export interface EndpointStatus {
  /** The client URL etcdctl asked, e.g. 'http://127.0.3.5:2379'. */
  endpoint: string;
  clusterId: string;
  memberId: string;
  /** Id of the leader as this member sees it; '0' when it knows none. */
  leaderId: string;
  raftTerm: bigint;
  raftIndex: bigint;
  version: string;
  dbSizeBytes: number;
  isLearner: boolean;
  /** Alarms and other errors the member reports (e.g. 'NOSPACE'). */
  errors: string[];
}

const uint64 = z
  .custom<LosslessNumber>(isLosslessNumber, 'expected a number')
  .refine((n) => /^\d+$/.test(n.value), 'expected an unsigned integer')
  .transform((n) => n.value);

const entrySchema = z.object({
  Endpoint: z.string(),
  Status: z.object({
    header: z.object({ cluster_id: uint64, member_id: uint64 }),
    version: z.string(),
    // Every field below is omitempty in etcd's JSON: absent means zero, false
    // or none. `leader` really is absent while an election is under way.
    dbSize: uint64.default('0'),
    leader: uint64.default('0'),
    raftIndex: uint64.default('0'),
    raftTerm: uint64.default('0'),
    isLearner: z.boolean().optional(),
    errors: z.array(z.string()).optional(),
  }),
});

/** Throws an Error naming the field and quoting the start of the output when it is not etcdctl's shape. */
export function parseEndpointStatus(json: string): EndpointStatus[] {
  const snippet = JSON.stringify(json.trim().slice(0, 200));
  let raw: unknown;
  try {
    raw = parse(json);
  } catch (err) {
    throw new Error(`etcdctl endpoint status output is not JSON (${(err as Error).message}): ${snippet}`, { cause: err });
  }
  const result = z.array(entrySchema).safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `at [${issue.path.join('.')}]` : 'at the top level';
    throw new Error(`etcdctl endpoint status output is not the expected shape ${where}: ${issue?.message ?? 'invalid'}: ${snippet}`);
  }
  return result.data.map(({ Endpoint, Status: s }) => ({
    endpoint: Endpoint,
    clusterId: s.header.cluster_id,
    memberId: s.header.member_id,
    leaderId: s.leader,
    raftTerm: BigInt(s.raftTerm),
    raftIndex: BigInt(s.raftIndex),
    version: s.version,
    dbSizeBytes: Number(s.dbSize),
    isLearner: s.isLearner ?? false,
    errors: s.errors ?? [],
  }));
}

/**
 * The leader in the newest term any answering member has seen. A member cut
 * off from the others may still name a stale leader from an older term.
 */
export function currentLeader(statuses: readonly EndpointStatus[]): { leaderId: string; raftTerm: bigint } | undefined {
  let best: EndpointStatus | undefined;
  for (const s of statuses) {
    if (s.leaderId !== '0' && (best === undefined || s.raftTerm > best.raftTerm)) best = s;
  }
  return best && { leaderId: best.leaderId, raftTerm: best.raftTerm };
}
