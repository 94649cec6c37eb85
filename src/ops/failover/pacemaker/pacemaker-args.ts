// The command-line forms of the Pacemaker actions (`baton act pacemaker.VERB ...`).
import { UsageError } from '../../engine/registry.js';
import { checkCommandText } from '../../command-text.js';
import { positiveNumberOption } from '../../target-args.js';

export const PACEMAKER_VERBS = ['move', 'ban', 'clear', 'standby', 'online', 'maintenance', 'cleanup', 'disable', 'enable'] as const;
export type PacemakerVerb = (typeof PACEMAKER_VERBS)[number];

export interface PacemakerArgs {
  verb: PacemakerVerb;
  resource: string | null;
  node: string | null;
  /** move: keep the cli-prefer constraint (pcs's "move and pin"). */
  pin: boolean;
  /** move --pin: ISO 8601 duration of the constraint. */
  lifetime: string | null;
  /** maintenance on|off, with its NODE or RESOURCE (null: the whole cluster). */
  on: boolean | null;
  target: string | null;
  /** Which cluster, when the inventory has several that know the name. */
  cluster: string | null;
  /** How long verify (and the move's wait) polls crm_mon before giving up. */
  deadlineMs: number;
}

export const USAGE: Record<PacemakerVerb, string> = {
  move: 'RESOURCE [NODE] [--pin [--lifetime ISO8601]] [--cluster NAME]',
  ban: 'RESOURCE NODE [--cluster NAME]',
  clear: 'RESOURCE [--cluster NAME]',
  standby: 'NODE [--cluster NAME]',
  online: 'NODE [--cluster NAME]',
  maintenance: 'on|off [NODE|RESOURCE] [--cluster NAME]',
  cleanup: 'RESOURCE [NODE] [--cluster NAME]',
  disable: 'RESOURCE [--cluster NAME]',
  enable: 'RESOURCE [--cluster NAME]',
};

const DEFAULT_DEADLINE_S = 60;
/** PnYnMnWnDTnHnMnS, at least one part: what crm_resource --lifetime takes. */
const ISO_DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

function name(value: string | undefined, what: string): string {
  return checkCommandText(value ?? '', what);
}

/** argv = the action's words after its name; options = the CLI's. */
export function parsePacemakerArgs(verb: PacemakerVerb, argv: string[], options: Record<string, unknown>): PacemakerArgs {
  const usage = () => new UsageError(`pacemaker.${verb} needs ${USAGE[verb]}`);
  const [first, second, ...extra] = argv;
  if (extra.length > 0 || first === undefined) throw usage();
  const pin = options.pin === true;
  const lifetime = typeof options.lifetime === 'string' ? options.lifetime : null;
  if ((pin || lifetime !== null) && verb !== 'move') throw new UsageError(`--pin and --lifetime are for pacemaker.move only`);
  if (lifetime !== null && !pin) throw new UsageError('--lifetime needs --pin', 'a move without --pin removes its constraint once the resource runs there, so a lifetime means nothing');
  if (lifetime !== null && !ISO_DURATION.test(lifetime)) throw new UsageError(`--lifetime expects an ISO 8601 duration (PT30M, PT2H, P1D), got "${lifetime}"`);
  const args: PacemakerArgs = {
    verb,
    resource: null,
    node: null,
    pin,
    lifetime,
    on: null,
    target: null,
    cluster: typeof options.cluster === 'string' ? name(options.cluster, 'the cluster name') : null,
    deadlineMs: positiveNumberOption(options.timeout, DEFAULT_DEADLINE_S, 'timeout') * 1000,
  };
  switch (verb) {
    case 'move':
    case 'cleanup':
      return { ...args, resource: name(first, 'the resource'), node: second === undefined ? null : name(second, 'the node') };
    case 'ban':
      if (second === undefined) throw usage();
      return { ...args, resource: name(first, 'the resource'), node: name(second, 'the node') };
    case 'clear':
    case 'disable':
    case 'enable':
      if (second !== undefined) throw usage();
      return { ...args, resource: name(first, 'the resource') };
    case 'standby':
    case 'online':
      if (second !== undefined) throw usage();
      return { ...args, node: name(first, 'the node') };
    case 'maintenance':
      if (first !== 'on' && first !== 'off') throw usage();
      return { ...args, on: first === 'on', target: second === undefined ? null : name(second, 'the node or resource') };
  }
}
