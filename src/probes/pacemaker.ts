// Pacemaker: `crm_mon --output-as=xml` on a cluster node, plus the location
// constraints that `crm_resource --move/--ban` leave behind (crm_mon lists
// bans but never cli-prefer constraints, so those come from
// `cibadmin --query --scope constraints`). Each command's stdout, stderr and
// exit code land in their own marker section, so one failing does not hide
// the other. The parser never throws.
import type { PacemakerConstraints, PacemakerSnapshot } from './pacemaker-types.js';
import { parseCliConstraints, parseCrmMonXml } from './pacemaker-xml.js';
import { XmlProblem } from './xml-tree.js';
import { MARK, ProbeError, RAW_LIMIT, splitCommandSections, type CommandSection } from './probe-output.js';

export type * from './pacemaker-types.js';


/** Runs CMD with its stdout as is, then its stderr and exit code in marker lines (POSIX sh). */
function section(name: string, command: string): string {
  return [
    `printf '%s\\n' '${MARK}${name}'`,
    // fd 3 carries stdout past the command substitution, which captures stderr alone.
    `{ bt_e=$(${command} 2>&1 1>&3 3>&-); bt_rc=$?; } 3>&1`,
    `printf '\\n${MARK}stderr\\n%s\\n${MARK}exit %s\\n' "$bt_e" "$bt_rc"`,
  ].join('\n');
}

/**
 * The remote command for a Pacemaker node. No inventory value goes into it.
 * XML output implies one-shot mode (`crm_mon --help`: "export the current
 * cluster status as XML to stdout, then exit"), so `-1` is not needed.
 */
export const PACEMAKER_PROBE_COMMAND = [
  section('crm_mon', 'crm_mon --output-as=xml'),
  section('constraints', 'cibadmin --query --scope constraints'),
].join('\n');

export type PacemakerProbeResult =
  | { kind: 'snapshot'; snapshot: PacemakerSnapshot }
  | { kind: 'unsupported'; message: string }
  | { kind: 'parse-error'; message: string; raw: string };



const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

function crmMonProblem(s: CommandSection): PacemakerProbeResult | undefined {
  if (s.stdout.includes('<')) return undefined; // XML of some kind: the XML reader judges it
  const said = `${s.stdout}\n${s.stderr}`.trim();
  if (s.exitCode === 127) throw new ProbeError(`pacemaker: crm_mon is not installed on the host: ${firstLine(said)}`, said.slice(0, RAW_LIMIT));
  // Pacemaker 1.1 and early 2.0 reject the option ("unrecognized option '--output-as=xml'").
  if (/output-as/.test(said)) {
    return { kind: 'unsupported', message: `pacemaker: this host's crm_mon has no XML output (Pacemaker too old for --output-as=xml): ${firstLine(said)}` };
  }
  const code = s.exitCode === null ? 'was cut short' : `exited ${s.exitCode}`;
  throw new ProbeError(`pacemaker: crm_mon printed no XML and ${code}: ${firstLine(said) || 'no output'}`, said.slice(0, RAW_LIMIT));
}

function constraintsOf(s: CommandSection | undefined): PacemakerConstraints {
  if (!s) return { kind: 'unavailable', message: 'cibadmin did not run' };
  if (s.exitCode !== 0) {
    const why = firstLine(`${s.stderr}\n${s.stdout}`) || 'no output';
    return { kind: 'unavailable', message: `cibadmin ${s.exitCode === null ? 'was cut short' : `exited ${s.exitCode}`}: ${why}` };
  }
  try {
    return { kind: 'read', list: parseCliConstraints(s.stdout) };
  } catch (err) {
    if (err instanceof XmlProblem) return { kind: 'unavailable', message: `cibadmin: ${err.message}` };
    throw err;
  }
}

export function parsePacemakerProbe(output: string): PacemakerProbeResult {
  try {
    const sections = splitCommandSections(output, ['crm_mon', 'constraints']);
    const crmMon = sections.get('crm_mon');
    if (!crmMon) throw new ProbeError(`pacemaker: no ${MARK}crm_mon section (is the probe's shell POSIX?)`, output.slice(0, RAW_LIMIT));
    const problem = crmMonProblem(crmMon);
    if (problem) return problem;
    const xml = crmMon.stdout;
    try {
      return { kind: 'snapshot', snapshot: { ...parseCrmMonXml(xml), constraints: constraintsOf(sections.get('constraints')) } };
    } catch (err) {
      // The snippet starts a little before the trouble, so the operator sees where it is.
      if (err instanceof XmlProblem) throw new ProbeError(`pacemaker: ${err.message}`, xml.slice(Math.max(0, err.offset - 100), err.offset + RAW_LIMIT - 100));
      throw err;
    }
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `pacemaker: parser failed: ${(err as Error).message}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}
