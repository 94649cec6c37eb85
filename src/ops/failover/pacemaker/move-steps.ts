// pcs 0.11's default move, as remote steps after the constraint is placed:
// wait until the resource runs where asked (crm_resource --locate, bounded),
// then ask the scheduler whether removing the constraint changes anything
// (the live CIB and a copy without the constraint simulated side by side:
// identical transitions mean it stays) and only then remove it. No name is
// parsed by the shell: names reach it quoted, and the check compares files.
import { quote } from 'shell-quote';
import { changeCommands, onCibFile, type CibChange } from './pacemaker-commands.js';

/** crm_resource --locate is one CIB query: asking 5 times a second costs the cluster nothing and saves the operator up to half a second. */
const POLL_S = 0.2;

/** crm_resource --locate's lines for a resource on a node (a promoted instance adds its role). */
function locateLines(resource: string, node: string): string[] {
  const line = `resource ${resource} is running on: ${node}`;
  return [line, `${line} Promoted`, `${line} Master`];
}

const grepAny = (lines: string[]) => `grep -Fxq ${lines.map((l) => `-e ${quote([l])}`).join(' ')}`;

/**
 * Polls until the resource runs on `node` (or, for a move with no node, runs
 * somewhere but not on `from`); exits 1 with what it last saw after `deadlineS`.
 */
export function waitCommand(resource: string, target: { node: string } | { awayFrom: string }, deadlineS: number): string {
  const running = `printf '%s\\n' "$bt_at" | grep -Fq -e ${quote([`resource ${resource} is running on: `])}`;
  const arrived = 'node' in target ? `printf '%s\\n' "$bt_at" | ${grepAny(locateLines(resource, target.node))}` : `${running} && ! printf '%s\\n' "$bt_at" | ${grepAny(locateLines(resource, target.awayFrom))}`;
  const where = 'node' in target ? `on ${target.node}` : `away from ${target.awayFrom}`;
  return [
    `bt_end=$(( $(date +%s) + ${Math.ceil(deadlineS)} ))`,
    'while :; do',
    `  bt_at=$(crm_resource --locate --resource=${quote([resource])} 2>&1)`,
    `  if ${arrived}; then exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$bt_end" ]; then printf '%s\\n%s\\n' ${quote([`not running ${where} after ${Math.ceil(deadlineS)} s; the constraint stays. crm_resource --locate says:`])} "$bt_at" >&2; exit 1; fi`,
    `  sleep ${POLL_S}`,
    'done',
  ].join('\n');
}

/**
 * Removes the move's constraint only when the scheduler decides the same with
 * and without it; otherwise exits 3 and the constraint stays (the resource
 * would move back: that is what --pin is for).
 */
export function clearIfItStaysCommand(clear: CibChange & { kind: 'clear' }, constraint: string): string {
  const [command] = changeCommands(clear);
  const sim = (file: string) => `crm_simulate --xml-file="$bt_d/${file}.xml" --simulate --output-as=xml --output-to="$bt_d/${file}.out"`;
  return [
    'bt_d=$(mktemp -d) || exit 1',
    `cibadmin --query >"$bt_d/now.xml" && cp "$bt_d/now.xml" "$bt_d/cleared.xml" && ${onCibFile(command!, '"$bt_d/cleared.xml"')} >/dev/null && ${sim('now')} && ${sim('cleared')}`,
    'bt_rc=$?',
    // The first line names the input file (request="..."): the rest is the scheduler's decision.
    '[ "$bt_rc" -eq 0 ] && sed 1d "$bt_d/now.out" >"$bt_d/now.cmp" && sed 1d "$bt_d/cleared.out" >"$bt_d/cleared.cmp" && cmp -s "$bt_d/now.cmp" "$bt_d/cleared.cmp"; bt_same=$?',
    'rm -rf "$bt_d"',
    `if [ "$bt_rc" -ne 0 ]; then printf 'could not ask the scheduler (exit %s); %s stays\\n' "$bt_rc" ${quote([constraint])} >&2; exit 1; fi`,
    `if [ "$bt_same" -ne 0 ]; then printf '%s\\n' ${quote([`removing ${constraint} would change where the scheduler puts resources (it would move back): it stays; pacemaker.clear removes it`])} >&2; exit 3; fi`,
    command!,
  ].join('\n');
}
