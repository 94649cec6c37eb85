// etcd: four etcdctl (v3 API) commands against the member the inventory
// names, each in its own marker section with its stderr and exit code, since
// each fails on its own terms: with a member down `endpoint status --cluster`
// exits 1 yet prints the members that answered, and `alarm list` needs a
// leader. The parser joins them per member and never throws.
import { quote } from 'shell-quote';
import type { EtcdRole } from '../inventory/types.js';
import { EtcdOutputError, readAlarms, readEndpointHealth, readEndpointStatus, readMemberList } from './etcd-json.js';
import { joinMembers } from './etcd-members.js';
import type { EtcdSnapshot } from './etcd-types.js';
import { MARK, ProbeError, RAW_LIMIT, splitCommandSections, type CommandSection } from './probe-output.js';

export type * from './etcd-types.js';

const DEFAULT_ENDPOINT = 'http://127.0.0.1:2379';
const SECTIONS = ['status', 'health', 'members', 'alarms'] as const;
type SectionName = (typeof SECTIONS)[number];

// Short timeouts: a dead member is only known dead when its calls time out
// (gRPC keeps redialling a refused port), and the poll waits for that, so the
// command timeout is most of how late a dead member shows. A status call to a
// live member takes milliseconds (it is served from memory, no disk write).
const ETCDCTL = 'ETCDCTL_API=3 etcdctl --endpoints "$bt_ep" --dial-timeout=300ms --command-timeout=300ms';
const COMMANDS: Record<SectionName, string> = {
  status: 'endpoint status --cluster -w json',
  health: 'endpoint health --cluster -w json',
  members: 'member list -w json',
  alarms: 'alarm list',
};

/**
 * The remote command for one etcd host; the endpoint is shell-quoted. The
 * four etcdctl calls run in parallel (each waits out its own timeout on a
 * dead member), then their outputs are printed in order.
 */
export function etcdProbeCommand(role: EtcdRole): string {
  const lines = [
    `bt_ep=${quote([role.endpoint ?? DEFAULT_ENDPOINT])}`,
    'bt_d=$(mktemp -d) || exit 1',
    `printf '%s\\n' "${MARK}endpoint $bt_ep"`,
  ];
  for (const name of SECTIONS) {
    lines.push(`{ ${ETCDCTL} ${COMMANDS[name]} >"$bt_d/${name}.out" 2>"$bt_d/${name}.err"; echo $? >"$bt_d/${name}.rc"; } &`);
  }
  lines.push('wait');
  for (const name of SECTIONS) {
    lines.push(
      `printf '%s\\n' '${MARK}${name}'`,
      `cat "$bt_d/${name}.out"`,
      `printf '\\n${MARK}stderr\\n%s\\n${MARK}exit %s\\n' "$(cat "$bt_d/${name}.err")" "$(cat "$bt_d/${name}.rc")"`,
    );
  }
  lines.push('rm -rf "$bt_d"');
  return lines.join('\n');
}

export type EtcdProbeResult = { kind: 'snapshot'; snapshot: EtcdSnapshot } | { kind: 'parse-error'; message: string; raw: string };



function splitSections(output: string): { endpoint: string | undefined; sections: Map<SectionName, CommandSection> } {
  let endpoint: string | undefined;
  const sections = splitCommandSections(output, SECTIONS, {
    onOtherMarker: (marker) => {
      if (marker.startsWith('endpoint ')) endpoint = marker.slice(9);
    },
    // etcdctl logs JSON lines on stderr beside its own error text.
    dropStderrLine: (line) => line.startsWith('{"level":'),
  });
  return { endpoint, sections };
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

function problemOf(name: SectionName, s: CommandSection | undefined): string | undefined {
  if (!s) return `etcdctl ${COMMANDS[name]}: did not run`;
  if (s.exitCode === 0) return undefined;
  const said = s.stderr.trim().split('\n').filter(Boolean).join('; ') || 'no message';
  return `etcdctl ${COMMANDS[name]}: ${s.exitCode === null ? 'cut short' : `exit ${s.exitCode}`}: ${said}`;
}

export function parseEtcdProbe(output: string): EtcdProbeResult {
  try {
    const { endpoint, sections } = splitSections(output);
    if (endpoint === undefined) throw new ProbeError(`etcd: no ${MARK}endpoint line (is the probe's shell POSIX?)`, output.slice(0, RAW_LIMIT));
    if (SECTIONS.every((name) => sections.get(name)?.exitCode === 127)) {
      const said = sections.get('status')?.stderr.trim() ?? '';
      throw new ProbeError(`etcd: etcdctl is not installed on the host: ${said.split('\n')[0] ?? ''}`, said.slice(0, RAW_LIMIT));
    }
    const joined = joinMembers({
      status: read(sections.get('status'), readEndpointStatus) ?? [],
      health: read(sections.get('health'), readEndpointHealth),
      memberList: read(sections.get('members'), readMemberList),
      statusStderr: sections.get('status')?.stderr ?? '',
    });
    const alarms = read(sections.get('alarms'), readAlarms) ?? (sections.get('alarms')?.exitCode === 0 ? [] : null);
    const problems = SECTIONS.map((name) => problemOf(name, sections.get(name))).filter((p): p is string => p !== undefined);
    return { kind: 'snapshot', snapshot: { endpoint, ...joined, alarms, problems } };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `etcd: parser failed: ${(err as Error).message}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}
