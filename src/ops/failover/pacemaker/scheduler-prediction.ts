// What Pacemaker's scheduler predicts for a change, before anything changes:
// on a cluster node, dump the CIB (`cibadmin --query`, which honours CIB_file),
// apply the change to a temp copy with the very commands the plan will run
// (CIB_file=<copy>), and run `crm_simulate --simulate --output-as=xml` on it.
// The XML form of the transition summary is read, not the text: a name with
// spaces, parentheses or " -> " in it stays unambiguous there.
// For a move that will be cleared afterwards (pcs's default move), a second
// prediction: the CIB as the move leaves it, with the constraint removed.
import { onCibFile } from './pacemaker-commands.js';
import { MARK, splitCommandSections } from '../../../probes/probe-output.js';
import { child, childrenNamed, descendants, parseXml, XmlProblem } from '../../../probes/xml-tree.js';

/** One line of the transition summary: `Move web-vip ( node1 -> node3 )`, `Stop ping:0 ( node1 )`. */
export interface PredictedAction {
  action: string;
  /** As crm_simulate names it: a clone instance keeps its `:N` suffix. */
  resource: string;
  /** Where it happens (start, stop, recover ...). */
  node: string | null;
  /** A move or migration: from, to. */
  source: string | null;
  dest: string | null;
  role: string | null;
  nextRole: string | null;
  reason: string | null;
  blocked: boolean;
}

export interface Prediction {
  actions: PredictedAction[];
  /** Resource id (clone instances share it) -> nodes it runs on, before and after the transition. */
  before: Record<string, string[]>;
  after: Record<string, string[]>;
}

export type PredictionResult = { ok: true; prediction: Prediction } | { ok: false; error: string };

const attr = (a: Record<string, string>, name: string) => a[name] ?? null;

function placement(status: ReturnType<typeof child>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!status) return out;
  for (const r of descendants(status, 'resource')) {
    const id = r.attrs.id ?? '';
    const nodes = r.attrs.active === 'true' ? childrenNamed(r, 'node').map((n) => n.attrs.name ?? '') : [];
    out[id] = [...(out[id] ?? []), ...nodes];
  }
  return out;
}

/** crm_simulate --simulate --output-as=xml: the actions and the placement before and after. Never throws. */
export function parseSimulation(xml: string): PredictionResult {
  try {
    const root = parseXml(xml, 'crm_simulate');
    const status = child(root, 'status');
    if (root.name !== 'pacemaker-result' || !child(root, 'revised_cluster_status')) {
      const errors = status ? descendants(status, 'error').map((e) => e.text.trim()) : [];
      return { ok: false, error: `crm_simulate: no prediction (${status?.attrs.message ?? `<${root.name}>`}, code ${status?.attrs.code ?? '?'})${errors.length ? `: ${errors.join('; ')}` : ''}` };
    }
    const actions = childrenNamed(child(root, 'actions'), 'rsc_action').map(({ attrs: a }) => ({
      action: a.action ?? '',
      resource: a.resource ?? '',
      node: attr(a, 'node'),
      source: attr(a, 'source'),
      dest: attr(a, 'dest'),
      role: attr(a, 'role'),
      nextRole: attr(a, 'next_role'),
      reason: attr(a, 'reason'),
      blocked: a.blocked === 'true',
    }));
    return { ok: true, prediction: { actions, before: placement(child(root, 'cluster_status')), after: placement(child(root, 'revised_cluster_status')) } };
  } catch (err) {
    const message = err instanceof XmlProblem ? err.message : `crm_simulate: ${(err as Error).message}`;
    return { ok: false, error: `${message}: ${xml.slice(0, 200)}` };
  }
}

/** `Move web-vip ( node1 -> node3 )`, as crm_simulate's text summary words it. */
export function describeAction(a: PredictedAction): string {
  const verb = a.action.charAt(0).toUpperCase() + a.action.slice(1);
  const where = a.source !== null && a.dest !== null ? `${a.source} -> ${a.dest}` : (a.node ?? '?');
  const roles = a.role !== null && a.nextRole !== null ? `${a.role} -> ${a.nextRole} ` : '';
  return `${verb} ${a.resource} ( ${roles}${where} )${a.reason ? ` due to ${a.reason}` : ''}${a.blocked ? ' (blocked)' : ''}`;
}

const SECTIONS = ['change', 'cleared'] as const;

function section(name: string, body: string): string {
  return [`printf '%s\\n' '${MARK}${name}'`, `{ ${body}\n} 2>"$bt_d/err"; bt_rc=$?`, `printf '\\n${MARK}stderr\\n'; cat "$bt_d/err"; printf '\\n${MARK}exit %s\\n' "$bt_rc"`].join('\n');
}

const simulate = (from: string, to: string, scores = false) => `crm_simulate --xml-file="$bt_d/${from}" --simulate${scores ? ' --show-scores' : ''} --output-as=xml --save-output="$bt_d/${to}"`;

/**
 * The remote script: `change` applies the commands to a copy of the CIB and
 * predicts; `cleared`, when given, then applies those (the clear after a
 * move) to the predicted CIB and predicts again. Nothing touches the cluster.
 * `scores` adds the allocation scores (why a resource goes where it goes).
 */
export function predictionScript(change: readonly string[], cleared?: readonly string[], scores = false): string {
  const apply = (file: string, commands: readonly string[]) => commands.map((c) => `${onCibFile(c, `"$bt_d/${file}"`)} >/dev/null &&`).join('\n');
  return [
    'bt_d=$(mktemp -d) || exit 1',
    section('change', `cibadmin --query >"$bt_d/cib.xml" &&\n${apply('cib.xml', change)}\n${simulate('cib.xml', 'after.xml', scores)}`),
    ...(cleared ? [section('cleared', `test -s "$bt_d/after.xml" &&\n${apply('after.xml', cleared)}\n${simulate('after.xml', 'cleared.xml')}`)] : []),
    'rm -rf "$bt_d"',
  ].join('\n');
}

export interface PredictionOutput {
  change: PredictionResult;
  cleared?: PredictionResult;
}

function readSection(s: ReturnType<ReturnType<typeof splitCommandSections>['get']>, what: string): PredictionResult {
  if (!s) return { ok: false, error: `${what}: did not run` };
  if (s.exitCode !== 0) {
    const said = `${s.stderr}\n${s.stdout.includes('<') ? '' : s.stdout}`.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
    return { ok: false, error: `${what} exited ${s.exitCode ?? '(cut short)'}: ${said || 'no output'}` };
  }
  return parseSimulation(s.stdout);
}

/** Never throws: each prediction, or why there is none. */
export function parsePredictionOutput(output: string, withCleared: boolean): PredictionOutput {
  const sections = splitCommandSections(output, SECTIONS);
  const change = readSection(sections.get('change'), 'the change on a copy of the CIB');
  return withCleared ? { change, cleared: readSection(sections.get('cleared'), 'removing the constraint on the predicted CIB') } : { change };
}
